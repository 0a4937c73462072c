import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';
import type { UserActor } from '../../kernel/access/actor.ts';

export type Authenticator = (token: string) => Promise<UserActor | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    actor: UserActor | null;
  }
}

/** Reads `Authorization: Bearer TOKEN` (or, where allowed, Basic user:token). */
export function credentialsOf(req: FastifyRequest, allowBasic: boolean): { token: string; user?: string } | null {
  const h = req.headers.authorization;
  if (!h) return null;
  if (h.length > 4096) return { token: '' };
  const space = h.indexOf(' ');
  const scheme = (space < 0 ? h : h.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : h.slice(space + 1).trim();
  if (scheme === 'bearer') return { token: value };
  if (scheme === 'basic' && allowBasic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { token: '' };
    return { user: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
  }
  return { token: '' };
}

export class Unauthenticated extends DomainError {
  constructor(
    message: string,
    readonly challenge: string,
  ) {
    super('unauthenticated', message);
  }
}

/** Resolves the actor; throws 401 with a challenge when credentials are missing or wrong. */
export async function requireActor(
  req: FastifyRequest,
  auth: Authenticator,
  opts: { allowBasic: boolean; realm: string },
): Promise<UserActor> {
  const actor = await optionalActor(req, auth, opts);
  if (!actor)
    throw new Unauthenticated(
      'authorization: a valid API token is required (Authorization: Bearer TOKEN)',
      challengeFor(opts),
    );
  return actor;
}

/** What a request's credentials come to, decided once per request (the rate limit and the routes share it). */
export type Resolved = { kind: 'none' } | { kind: 'invalid' } | { kind: 'user'; actor: UserActor; basic: boolean };

const resolved = new WeakMap<FastifyRequest, Promise<Resolved>>();

/**
 * Resolves the request's credentials (Bearer, or Basic user:token) once: `none` without an
 * Authorization header, `invalid` when it names no valid token (or the Basic user is not the token's).
 */
export function resolveCredentials(req: FastifyRequest, auth: Authenticator): Promise<Resolved> {
  let r = resolved.get(req);
  if (!r) {
    r = resolve(req, auth);
    resolved.set(req, r);
  }
  return r;
}

async function resolve(req: FastifyRequest, auth: Authenticator): Promise<Resolved> {
  const creds = credentialsOf(req, true);
  if (!creds) return { kind: 'none' };
  const actor = await auth(creds.token);
  if (!actor || (creds.user !== undefined && creds.user !== actor.userName)) return { kind: 'invalid' };
  return { kind: 'user', actor, basic: creds.user !== undefined };
}

export async function optionalActor(
  req: FastifyRequest,
  auth: Authenticator,
  opts: { allowBasic: boolean; realm: string },
): Promise<UserActor | null> {
  const r = await resolveCredentials(req, auth);
  if (r.kind === 'none') return null;
  if (r.kind === 'invalid' || (r.basic && !opts.allowBasic)) {
    throw new Unauthenticated('authorization: the token is unknown, revoked or expired', challengeFor(opts));
  }
  req.actor = r.actor;
  return r.actor;
}

function challengeFor(opts: { allowBasic: boolean; realm: string }): string {
  return opts.allowBasic ? `Basic realm="${opts.realm}", Bearer realm="${opts.realm}"` : `Bearer realm="${opts.realm}"`;
}
