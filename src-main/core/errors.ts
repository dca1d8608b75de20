/**
 * The one error type the core throws. Each carries a stable `code` that the doors (HTTP, IPC, CLI)
 * map to their own status and show to clients; `message` is written for the user and never
 * contains internals. Anything else thrown inside the core is a bug and reaches clients only as
 * `internal`, without its message.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  /** The act is sensitive: confirm password and 2FA code (re-authenticate), then retry. */
  | 'reauth_required'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export class CairnError extends Error {
  readonly code: ErrorCode;
  /** Dotted path of the offending input field, when the error is about one field. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'CairnError';
    this.code = code;
    this.field = field;
  }
}

/**
 * Thrown by an operation body to fail *after* committing what it wrote: a failed sign-in must
 * keep its counter and audit entry even though the caller gets an error.
 */
export class FailAfterCommit extends Error {
  constructor(readonly error: CairnError) {
    super(error.message);
    this.name = 'FailAfterCommit';
  }
}

export const notFound = (what: string, id: number | string): CairnError =>
  new CairnError('not_found', `${what} ${id} does not exist`);

/** What a door may show a client: the CairnError as is, anything else as an opaque internal error. */
export function toPublicError(err: unknown): { code: ErrorCode; message: string; field?: string } {
  if (err instanceof CairnError) {
    return err.field === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, field: err.field };
  }
  return { code: 'internal', message: 'Internal error; the operator can find details in the log' };
}
