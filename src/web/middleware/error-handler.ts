import { randomBytes } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, NotFoundError, type ErrorCode } from '../../errors.js';
import { mapDatabaseError } from '../../storage/db-errors.js';

/** The one table from domain error codes to HTTP statuses. */
export const statusByCode: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
};

/** Body-parser's errors, turned into the domain model with messages a client can act on. */
function fromBodyParser(err: { type?: string; message?: string; limit?: number }): AppError | undefined {
  if (err.type === 'entity.parse.failed') {
    return new AppError(
      'invalid',
      `The request body is not valid JSON: ${err.message}. Fix the JSON and send it again.`,
    );
  }
  if (err.type === 'entity.too.large') {
    return new AppError(
      'payload_too_large',
      `The request body is larger than the ${err.limit} bytes this server accepts; send smaller batches.`,
    );
  }
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', `${err.message}; send UTF-8.`);
  }
  return undefined;
}

/** Normalizes anything thrown into an AppError (unknown errors stay unknown: 500). */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const parsed = fromBodyParser(err as { type?: string });
  if (parsed) return parsed;
  const mapped = mapDatabaseError(err);
  return mapped instanceof AppError ? mapped : undefined;
}

export function newErrorId(): string {
  return randomBytes(6).toString('hex');
}

function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

/** 404 for any route nobody served. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`Nothing lives at ${req.method} ${req.path}. Check the address.`));
};

/**
 * Maps errors to responses: JSON for API clients, a page for browsers, an error id in both. Unknown
 * errors are logged with that id and answered without internals.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  const errorId = newErrorId();
  const status = appError ? statusByCode[appError.code] : 500;
  if (!appError || status >= 500) req.log?.error({ err, errorId }, 'request failed');
  if (appError?.code === 'unavailable' || appError?.code === 'too_many_requests')
    res.set('Retry-After', String((appError as { retryAfterSeconds?: number }).retryAfterSeconds ?? 5));
  const message =
    appError?.message ?? `Something went wrong on our side. Quote error id ${errorId} when you report it.`;
  const body = {
    error: {
      code: appError?.code ?? 'internal',
      message,
      details: appError?.details ?? [],
      errorId,
    },
  };
  if (res.headersSent) return;
  res.status(status);
  if (wantsHtml(req)) {
    res.render('error', {
      title: status >= 500 ? 'Something went wrong' : 'That did not work',
      status,
      ...body.error,
    });
  } else {
    res.json(body);
  }
};
