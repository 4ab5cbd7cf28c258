import type { ErrorRequestHandler } from 'express';
import { newErrorId, statusByCode, toAppError } from './error-handler.js';

/**
 * Errors of /xapi as JSON, always (xAPI clients are programs), keeping the headers already set
 * (X-Experience-API-Version, CORS, WWW-Authenticate).
 */
export const xapiErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  const errorId = newErrorId();
  const status = appError ? statusByCode[appError.code] : 500;
  if (!appError || status >= 500) req.log?.error({ err, errorId }, 'xapi request failed');
  if (res.headersSent) return;
  if (appError?.code === 'unavailable' || appError?.code === 'too_many_requests')
    res.set('Retry-After', String((appError as { retryAfterSeconds?: number }).retryAfterSeconds ?? 5));
  res.status(status).json({
    error: {
      code: appError?.code ?? 'internal',
      message:
        appError?.message ??
        `Something went wrong on our side. Quote error id ${errorId} when you report it.`,
      details: appError?.details ?? [],
      errorId,
    },
  });
};
