/**
 * Domain errors. They carry a code and details, never an HTTP status: web/middleware/error-handler.ts
 * maps codes to statuses with one table. Messages say what was wrong and what to do, in the user's terms.
 */
export type ErrorCode =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'unavailable';

export interface ErrorDetail {
  /** Where the problem is: a JSON path, a CSV row, a field name. */
  path?: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('invalid', message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message: string) {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details: ErrorDetail[] = [], options?: { cause?: unknown }) {
    super('conflict', message, details, options);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(message: string) {
    super('precondition_failed', message);
  }
}

/** The database or another dependency cannot be reached; clients should retry later. */
export class UnavailableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super('unavailable', message, [], options);
  }
}

/** Too many failed attempts from a client or for a credential; it may try again after the wait. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', message);
  }
}
