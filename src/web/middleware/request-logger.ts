import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
/** Session tokens in addresses (src/web/middleware/session-token.ts) are credentials: never logged. */
const SESSION_TOKEN = /([?&]yst=)[^&#]*/g;

/** The address with any session token replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  return url.replace(SESSION_TOKEN, '$1[redacted]');
}

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
}

/** Logs each request with a request id (the caller's X-Request-Id when sane), echoed in the response. */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel(_req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    serializers: {
      req(req: SerializedRequest) {
        if (typeof req.url === 'string') req.url = redactUrl(req.url);
        if (req.query && 'yst' in req.query) req.query = { ...req.query, yst: '[redacted]' };
        if (req.headers && 'x-yardstick-session' in req.headers)
          req.headers = { ...req.headers, 'x-yardstick-session': '[redacted]' };
        return req;
      },
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
