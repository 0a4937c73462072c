/**
 * Typed domain errors. Pure code throws these; platform/http/errors.ts maps them to HTTP once.
 * Every error says what was wrong and where (`field` is a JSON path such as `objects[3].created`).
 */
export type ErrorCode =
  | 'validation'
  | 'unprocessable'
  | 'not-found'
  | 'unauthenticated'
  | 'forbidden'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media-type'
  | 'not-acceptable'
  | 'unavailable';

export interface ErrorDetail {
  field?: string;
  message: string;
  objectId?: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError => new DomainError('not-found', `${what} not found`);
export const validation = (field: string, message: string, details: ErrorDetail[] = []): DomainError =>
  new DomainError('validation', `${field}: ${message}`, field, details);
export const forbidden = (message: string): DomainError => new DomainError('forbidden', message);
export const conflict = (message: string, field?: string): DomainError => new DomainError('conflict', message, field);

export const httpStatusOf: Record<ErrorCode, number> = {
  validation: 400,
  unprocessable: 422,
  'not-found': 404,
  unauthenticated: 401,
  forbidden: 403,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'not-acceptable': 406,
  unavailable: 503,
};

/** PostgreSQL SQLSTATEs of a server that is gone or not taking connections: connection exceptions (08…),
 * shutdown or not yet started (57P01–57P03), too many connections (53300). */
const PG_UNAVAILABLE = /^(?:08[0-9A-Z]{3}|57P0[1-3]|53300)$/;
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN']);
/** node-postgres's own messages for a connection that ended or could not be made (they carry no code). */
const PG_CLIENT_GONE =
  /^(?:Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * The store (or a service it needs) is away for a moment: SQLite still locked after waiting for it, or a
 * PostgreSQL server restarting, refusing or dropping connections. Nothing was written (the transaction
 * rolled back), so the request can be sent again: such errors answer 503 with Retry-After, never 500.
 */
export function unavailableOf(e: unknown): DomainError | undefined {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  const gone =
    (typeof code === 'string' &&
      (code.startsWith('SQLITE_BUSY') || PG_UNAVAILABLE.test(code) || NET_UNAVAILABLE.has(code))) ||
    (typeof message === 'string' && PG_CLIENT_GONE.test(message.slice(0, 80)));
  return gone ? new DomainError('unavailable', 'the store is unavailable for a moment; retry after 1 s') : undefined;
}
