import express, { Router } from 'express';
import { NotFoundError } from '../../../errors.js';
import type { XapiVersion } from '../../../xapi/rules/index.js';
import type { LrsCredentialService } from '../../../xapi/credentials/credential-service.js';
import type { StatementService } from '../../../xapi/statements/statement-service.js';
import type { DocumentService } from '../../../xapi/documents/document-service.js';
import type { ActivityService } from '../../../xapi/statements/activity-service.js';
import type { StatementLimits } from '../../../xapi/statements/batch-split.js';
import { createCursorCodec } from '../../../xapi/statements/statement-cursor.js';
import { lrsBasicAuth } from '../../middleware/xapi-auth.js';
import {
  AUTH_BACKOFF,
  createMemoryFailureLimiter,
  type FailureLimiter,
} from '../../middleware/failure-limiter.js';
import { launchScope } from '../../middleware/xapi-launch-scope.js';
import { xapiErrorHandler } from '../../middleware/xapi-error-handler.js';
import {
  alternateRequestSyntax,
  negotiateVersion,
  xapiResponseHeaders,
} from '../../middleware/xapi-protocol.js';
import { aboutRoutes } from './about-routes.js';
import { statementRoutes } from './statement-routes.js';
import { documentRoutes } from './document-routes.js';

export interface XapiRouterDeps {
  credentials: LrsCredentialService;
  statements: StatementService;
  documents: DocumentService;
  activities: ActivityService;
  /** Largest request body in bytes; larger gets 413. */
  bodyLimitBytes: number;
  /** Batch and statement size limits of statement requests (413 above them). */
  statementLimits: StatementLimits;
  /** Secret signing `more` cursors; empty for a random key per process. */
  cursorSecret: string;
  /** X-Experience-API-Version answered when the request's version is missing or unsupported. */
  unversionedResponseVersion: XapiVersion;
  /** Counts wrong secrets per key and address; default: in this process. */
  limiter?: FailureLimiter;
}

/**
 * The LRS under /xapi: CORS and version headers, Basic auth from the headers (before any body is
 * read, so an unauthenticated client cannot make the server read 20 MB), body (raw bytes: statements
 * are parsed losslessly and documents kept byte-exact), alternate request syntax, version negotiation,
 * the resources, and JSON errors that keep the xAPI headers. An alternate-syntax request (xAPI 1.0.3
 * Communication 1.3) may carry its Authorization in the form body; only such a request without an
 * Authorization header is read before it is authenticated.
 */
export function xapiRouter(deps: XapiRouterDeps): Router {
  const router = Router();
  const isAbout = (req: express.Request) => req.path === '/about' && req.method === 'GET';
  const isAlternate = (req: express.Request) => req.method === 'POST' && req.query.method !== undefined;
  const limiter = deps.limiter ?? createMemoryFailureLimiter(AUTH_BACKOFF);
  router.use(xapiResponseHeaders(deps.unversionedResponseVersion));
  router.use(
    lrsBasicAuth(deps.credentials, limiter, {
      skip: (req) => isAbout(req) || (isAlternate(req) && !req.headers.authorization),
    }),
  );
  router.use(express.raw({ type: () => true, limit: deps.bodyLimitBytes }));
  router.use(alternateRequestSyntax);
  router.use(negotiateVersion({ optional: isAbout }));
  router.use(aboutRoutes());
  // Alternate-syntax requests: the form body's Authorization field, now that the body is read.
  router.use(
    lrsBasicAuth(deps.credentials, limiter, {
      skip: (req, res) => isAbout(req) || !res.locals.alternateSyntax,
    }),
  );
  router.use(launchScope);
  router.use(
    statementRoutes({
      statements: deps.statements,
      limits: deps.statementLimits,
      cursors: createCursorCodec(deps.cursorSecret),
    }),
  );
  router.use(documentRoutes({ documents: deps.documents, activities: deps.activities }));
  router.use((req, _res, next) => {
    next(
      new NotFoundError(
        `The LRS has no resource at ${req.method} ${req.baseUrl}${req.path}; see /xapi/about.`,
      ),
    );
  });
  router.use(xapiErrorHandler);
  return router;
}
