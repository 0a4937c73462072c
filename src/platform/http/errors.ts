import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, httpStatusOf, unavailableOf, type ErrorDetail } from '../errors.ts';

/** The error body of the REST API: what was wrong and where. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: ErrorDetail[] };
}

export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof DomainError) {
    return {
      status: httpStatusOf[err.code],
      body: {
        error: {
          code: err.code,
          message: err.message,
          ...(err.field ? { field: err.field } : {}),
          ...(err.details.length ? { details: err.details } : {}),
        },
      },
    };
  }
  const fe = err as FastifyError & { validation?: unknown };
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const details: ErrorDetail[] = fe.validation.map((v) => ({
      field: fieldOf(fe.validationContext, v.instancePath),
      message: v.message ?? 'is invalid',
    }));
    const first = details[0];
    return {
      status: 400,
      body: {
        error: {
          code: 'validation',
          message: first ? `${first.field}: ${first.message}` : 'invalid request',
          ...(first?.field ? { field: first.field } : {}),
          details,
        },
      },
    };
  }
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status === 500) return { status, body: { error: { code: 'internal', message: 'internal error' } } };
  const code =
    status === 413
      ? 'too-large'
      : status === 415
        ? 'unsupported-media-type'
        : status === 429
          ? 'rate-limited'
          : 'bad-request';
  return { status, body: { error: { code, message: friendlyMessage(fe) } } };
}

function friendlyMessage(fe: FastifyError): string {
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `body: not valid JSON (${fe.message})`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body: larger than the server accepts';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `content-type: ${fe.message}`;
    default:
      return fe.message;
  }
}

function fieldOf(context: string | undefined, path: string): string {
  const p = path.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const prefix = context === 'querystring' ? 'query' : context === 'params' ? 'path' : (context ?? 'body');
  return p ? (prefix === 'body' ? p : `${prefix}.${p}`) : prefix;
}

/**
 * The error to present for `err`: a store that is away for a moment becomes a 503 (`unavailableOf`) with
 * Retry-After set on the reply; anything else is itself. Shared by the REST and TAXII error handlers.
 */
export function presentedError(err: unknown, reply: FastifyReply): unknown {
  const away = unavailableOf(err);
  if (!away) return err;
  if (!reply.hasHeader('retry-after')) void reply.header('retry-after', '1');
  return away;
}

export function sendError(reply: FastifyReply, err: unknown, req: FastifyRequest): FastifyReply {
  const shown = presentedError(err, reply);
  const { status, body } = toErrorBody(shown);
  if (shown !== err) req.log.warn({ err }, 'store unavailable; answered 503');
  else if (err instanceof DomainError && err.code === 'unavailable') {
    // Back-pressure (a write refused while the server is behind) is the server working as designed: under a
    // burst it answers thousands of these, which as errors with stacks filled the log (8,000 lines in a soak run).
    req.log.debug({ reason: err.message }, 'refused with 503');
  } else if (status >= 500) req.log.error({ err }, 'request failed');
  return reply.status(status).type('application/json').send(body);
}
