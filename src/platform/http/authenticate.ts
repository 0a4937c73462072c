import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';
import type { UserActor } from '../../kernel/access/actor.ts';

export type Authenticator = (token: string) => Promise<UserActor | undefined>;

/** The console's session cookie (httpOnly, SameSite=Strict, Path=/api/) and the header that must echo its CSRF token. */
export const SESSION_COOKIE = 'bulwark_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Resolves a session cookie's value to its user and CSRF token (src/contexts/sharing/session.service.ts). */
export interface SessionResolver {
  resolve(id: string): Promise<{ actor: UserActor; csrfToken: string } | undefined>;
}

/** A cookie's value from the Cookie header, or undefined; bounded, no regex. */
export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  const h = req.headers.cookie;
  if (typeof h !== 'string' || h.length > 8192) return undefined;
  for (const part of h.split(';', 64)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: UserActor | null;
    /** The console session that signed the request in, when it came with the session cookie. */
    sessionId: string | null;
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
export async function requireActor(req: FastifyRequest, auth: Authenticator, opts: ActorOptions): Promise<UserActor> {
  const actor = await optionalActor(req, auth, opts);
  if (!actor)
    throw new Unauthenticated(
      'authorization: a valid API token is required (Authorization: Bearer TOKEN)',
      challengeFor(opts),
    );
  return actor;
}

/** What a request's credentials come to, decided once per request (the rate limit and the routes share it). */
export type Resolved =
  | { kind: 'none' }
  | { kind: 'invalid'; cookie?: true }
  | { kind: 'user'; actor: UserActor; basic: boolean; session?: { id: string; csrfToken: string } };

const resolved = new WeakMap<FastifyRequest, Promise<Resolved>>();

/**
 * Resolves the request's credentials (Bearer, or Basic user:token, or else the console's session
 * cookie when `sessions` is given) once: `none` without any, `invalid` when they name no valid token
 * or session (or the Basic user is not the token's). An Authorization header always wins over a cookie.
 */
export function resolveCredentials(
  req: FastifyRequest,
  auth: Authenticator,
  sessions?: SessionResolver,
): Promise<Resolved> {
  let r = resolved.get(req);
  if (!r) {
    r = resolve(req, auth, sessions);
    resolved.set(req, r);
  }
  return r;
}

async function resolve(req: FastifyRequest, auth: Authenticator, sessions?: SessionResolver): Promise<Resolved> {
  const creds = credentialsOf(req, true);
  if (!creds) {
    const id = sessions && cookieOf(req, SESSION_COOKIE);
    if (!sessions || id === undefined) return { kind: 'none' };
    const s = await sessions.resolve(id);
    return s
      ? { kind: 'user', actor: s.actor, basic: false, session: { id, csrfToken: s.csrfToken } }
      : { kind: 'invalid', cookie: true };
  }
  const actor = await auth(creds.token);
  if (!actor || (creds.user !== undefined && creds.user !== actor.userName)) return { kind: 'invalid' };
  return { kind: 'user', actor, basic: creds.user !== undefined };
}

export interface ActorOptions {
  allowBasic: boolean;
  realm: string;
  /** Accept the console's session cookie (the REST API only; TAXII and /metrics take tokens). */
  sessions?: SessionResolver;
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function optionalActor(
  req: FastifyRequest,
  auth: Authenticator,
  opts: ActorOptions,
): Promise<UserActor | null> {
  const r = await resolveCredentials(req, auth, opts.sessions);
  // a cookie counts only where sessions are accepted; elsewhere the request is as if it had none
  if (r.kind === 'none' || (!opts.sessions && ((r.kind === 'invalid' && r.cookie) || (r.kind === 'user' && r.session))))
    return null;
  if (r.kind === 'invalid' && r.cookie)
    throw new Unauthenticated(
      'authorization: the session ended (signed out, or its token was revoked or expired)',
      challengeFor(opts),
    );
  if (r.kind === 'invalid' || (r.basic && !opts.allowBasic)) {
    throw new Unauthenticated('authorization: the token is unknown, revoked or expired', challengeFor(opts));
  }
  if (r.session && !SAFE_METHODS.has(req.method)) checkCsrf(req, r.session.csrfToken);
  req.actor = r.actor;
  req.sessionId = r.session?.id ?? null;
  return r.actor;
}

/**
 * A write carried by the session cookie must echo the session's CSRF token in X-CSRF-Token (another site
 * can neither read it nor set the header without a CORS preflight this server never grants), and any
 * Origin it names must be this server's own.
 */
function checkCsrf(req: FastifyRequest, csrfToken: string): void {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (origin !== undefined && (host === undefined || origin !== `${req.protocol}://${host}`))
    throw new DomainError('forbidden', `csrf: a request from ${origin.slice(0, 100)} may not use this session`);
  const given = req.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !sameSecret(given, csrfToken))
    throw new DomainError(
      'forbidden',
      `csrf: a write with the session cookie needs the session's token in ${CSRF_HEADER} (GET /api/v1/session)`,
    );
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function challengeFor(opts: ActorOptions): string {
  return opts.allowBasic ? `Basic realm="${opts.realm}", Bearer realm="${opts.realm}"` : `Bearer realm="${opts.realm}"`;
}
