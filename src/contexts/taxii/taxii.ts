import { nameUuid } from '../stix/stix.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import type { Scope } from '../knowledge/knowledge.repository.ts';

export const TAXII_MEDIA = 'application/taxii+json;version=2.1';
export const STIX_MEDIA = 'application/stix+json;version=2.1';
export const API_ROOT = 'alliance';

/** Deterministic UUID (version 5 layout) for a collection name, stable across installs. */
export function collectionUuid(name: string): string {
  return nameUuid(`bulwark-collection:${name}`);
}

export interface CollectionDef {
  id: string;
  alias: string;
  title: string;
  description: string;
  scope: Scope;
  /** null: anyone, also without credentials. */
  readableBy: 'anyone' | 'users';
  writableBy: 'nobody' | 'users' | { org: string };
}

export const COLLECTIONS: readonly CollectionDef[] = [
  {
    id: collectionUuid('alliance'),
    alias: 'alliance',
    title: 'Alliance',
    description:
      "Everything each organisation may read under the TLP releasability rules. Writes are authored by the writer's organisation.",
    scope: { kind: 'all' },
    readableBy: 'users',
    writableBy: 'users',
  },
  {
    id: collectionUuid('public'),
    alias: 'public',
    title: 'Public (TLP:CLEAR)',
    description: 'Objects released as TLP:CLEAR, readable without credentials.',
    scope: { kind: 'public' },
    readableBy: 'anyone',
    writableBy: 'nobody',
  },
  ...ORGANISATIONS.map((o): CollectionDef => ({
    id: collectionUuid(`org:${o.code}`),
    alias: `org-${o.code.toLowerCase()}`,
    title: `${o.name} (${o.code})`,
    description: `Objects authored by ${o.name} that the reader may read.`,
    scope: { kind: 'author', org: o.code },
    readableBy: 'users',
    writableBy: { org: o.code },
  })),
];

export function canReadCollection(c: CollectionDef, actor: Actor | null): boolean {
  return c.readableBy === 'anyone' || actor !== null;
}

export function canWriteCollection(c: CollectionDef, actor: Actor | null): boolean {
  if (!actor || actor.kind !== 'user') return false;
  if (c.writableBy === 'nobody') return false;
  if (c.writableBy === 'users') return true;
  return c.writableBy.org === actor.org;
}

export function findCollection(idOrAlias: string): CollectionDef | undefined {
  return COLLECTIONS.find((c) => c.id === idOrAlias || c.alias === idOrAlias);
}

export function presentCollection(c: CollectionDef, actor: Actor | null): Record<string, unknown> {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    alias: c.alias,
    can_read: canReadCollection(c, actor),
    can_write: canWriteCollection(c, actor),
    media_types: [STIX_MEDIA],
  };
}

/**
 * The collections resource (section 5.1): `collections` lists what the actor may read and is
 * omitted altogether when there is none, giving `{}`.
 */
export function presentCollections(all: readonly CollectionDef[], actor: Actor | null): Record<string, unknown> {
  const visible = all.filter((c) => canReadCollection(c, actor));
  return visible.length > 0 ? { collections: visible.map((c) => presentCollection(c, actor)) } : {};
}

/** Accept header check: TAXII 2.1 JSON, or a wildcard that covers it. */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = params.find((p) => p.startsWith('version='));
    return !version || version === 'version=2.1';
  });
}

export function isTaxiiContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  const [type = '', ...params] = ct.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/taxii+json') return false;
  const version = params.find((p) => p.startsWith('version='));
  return !version || version === 'version=2.1';
}

/**
 * A TAXII 2.1 error message resource (section 3.6.1): `title` (required), `description`,
 * `error_code`, `http_status` (a string equal to the response's status code) and `details`.
 */
export function errorResource(
  status: number,
  title: string,
  description: string,
  details?: Record<string, unknown>,
  errorCode?: string,
): Record<string, unknown> {
  return {
    title,
    description,
    ...(errorCode ? { error_code: errorCode } : {}),
    http_status: String(status),
    ...(details ? { details } : {}),
  };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

export function taxiiErrorOf(err: unknown): { status: number; body: Record<string, unknown> } {
  if (err instanceof DomainError) {
    const status = (
      {
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
      } as const
    )[err.code];
    return {
      status,
      body: errorResource(
        status,
        TITLES[status] ?? 'Error',
        err.message,
        err.field ? { field: err.field } : undefined,
        err.code,
      ),
    };
  }
  const fe = err as { statusCode?: number; code?: string; message?: string };
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return {
      status: 413,
      body: errorResource(
        413,
        'Request Entity Too Large',
        'the request body is larger than max_content_length',
        undefined,
        'too-large',
      ),
    };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return {
      status: 415,
      body: errorResource(
        415,
        'Unsupported Media Type',
        `Content-Type must be ${TAXII_MEDIA}`,
        undefined,
        'unsupported-media-type',
      ),
    };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      body: errorResource(
        fe.statusCode,
        TITLES[fe.statusCode] ?? 'Bad Request',
        `body: ${fe.message ?? 'invalid request'}`,
      ),
    };
  }
  return { status: 500, body: errorResource(500, 'Internal Server Error', 'internal error') };
}
