/**
 * The closed set of application errors. The domain throws these; the HTTP edge and the CLI map them
 * once (status code, Redmine error body, one-line message). Anything else is a bug.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'precondition_failed'
  | 'unavailable';

export class KanriError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Input that cannot be accepted; `errors` are Redmine-style full messages. */
export class ValidationError extends KanriError {
  readonly errors: readonly string[];

  constructor(errors: readonly string[]) {
    super('validation_failed', errors.join('; '));
    this.errors = errors;
  }
}

export class NotFoundError extends KanriError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends KanriError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class ForbiddenError extends KanriError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A service the request needs (a database server, a data folder) cannot be used right now. */
export class UnavailableError extends KanriError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/** The request needs a signed-in user (or valid API credentials) and has none. */
export class UnauthenticatedError extends KanriError {
  constructor(message = 'authentication required') {
    super('unauthenticated', message);
  }
}

/** A request header named something that cannot be honoured (Redmine: bad X-Redmine-Switch-User). */
export class PreconditionFailedError extends KanriError {
  constructor(message: string) {
    super('precondition_failed', message);
  }
}
