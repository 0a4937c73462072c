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
