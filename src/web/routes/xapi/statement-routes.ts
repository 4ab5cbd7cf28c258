import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import { route } from '../../async-route.js';
import { principalOf, requireScope } from '../../middleware/xapi-auth.js';
import { xapiVersionOf } from '../../middleware/xapi-protocol.js';
import type { StatementResult, StatementService } from '../../../xapi/statements/statement-service.js';
import { readStatementRequest } from '../../../xapi/statements/statement-query.js';
import { ValidationError } from '../../../errors.js';
import type { StatementLimits } from '../../../xapi/statements/batch-split.js';
import type { CursorCodec } from '../../../xapi/statements/statement-cursor.js';

/** The Statement resource (xAPI Communication 2.1) under /xapi/statements. */
export function statementRoutes(deps: {
  statements: StatementService;
  limits: StatementLimits;
  cursors: CursorCodec;
}): Router {
  const router = Router();
  const body = (b: unknown): Buffer => (Buffer.isBuffer(b) ? b : Buffer.alloc(0));

  router.put(
    '/statements',
    requireScope('statements/write'),
    route(async (req, res) => {
      const statementId = req.query.statementId;
      if (typeof statementId !== 'string') {
        throw new ValidationError(
          'PUT /statements needs the statementId parameter; use POST to let the LRS assign ids.',
          [{ path: 'statementId', message: 'missing' }],
        );
      }
      await deps.statements.store({
        principal: principalOf(res),
        version: xapiVersionOf(res),
        body: body(req.body),
        contentType: req.headers['content-type'],
        statementId,
        limits: deps.limits,
      });
      res.status(204).end();
    }),
  );

  router.post(
    '/statements',
    requireScope('statements/write'),
    route(async (req, res) => {
      const ids = await deps.statements.store({
        principal: principalOf(res),
        version: xapiVersionOf(res),
        body: body(req.body),
        contentType: req.headers['content-type'],
        limits: deps.limits,
      });
      res.status(200).json(ids);
    }),
  );

  router.get(
    '/statements',
    (_req, res, next) => {
      // On every GET response, errors included (Communication 2.1.3); refined once the page is read.
      res.set('X-Experience-API-Consistent-Through', new Date().toISOString());
      next();
    },
    requireScope('statements/read'),
    route(async (req, res) => {
      const query = req.query as Record<string, unknown>;
      const request = readStatementRequest(query, xapiVersionOf(res));
      const result = await deps.statements.read({
        principal: principalOf(res),
        request,
        query,
        acceptLanguage: req.headers['accept-language'],
        path: `${req.baseUrl}/statements`,
        cursors: deps.cursors,
      });
      send(res, result);
    }),
  );
  return router;
}

/** Sends a statement result: JSON, or multipart/mixed with attachment parts (Communication 1.5.2). */
function send(res: Response, result: StatementResult): void {
  res.set('Last-Modified', result.lastModified.toUTCString());
  res.set('X-Experience-API-Consistent-Through', result.consistentThrough.toISOString());
  if (!result.attachments) {
    res.status(200).type('application/json; charset=utf-8').send(result.json);
    return;
  }
  const boundary = `yardstick-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${result.json}\r\n`, 'utf8'),
  ];
  for (const a of result.attachments) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: ${a.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${a.sha2}\r\n\r\n`,
        'utf8',
      ),
      a.content,
      Buffer.from('\r\n', 'utf8'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--`, 'utf8'));
  res.status(200).type(`multipart/mixed; boundary=${boundary}`).send(Buffer.concat(chunks));
}
