import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import type { UserRepository } from './user.repository.ts';
import type { SessionRepository } from './session.repository.ts';
import { hashToken, type UserService } from './user.service.ts';

/** How long a console session lasts at most (the token's own expiry or revocation ends it sooner). */
export const SESSION_HOURS = 12;
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

export interface OpenedSession {
  /** The cookie's value: shown to the browser once, stored only as a hash. */
  id: string;
  csrfToken: string;
  expiresAt: string;
}

export interface ResolvedSession {
  actor: UserActor;
  csrfToken: string;
  expiresAt: string;
}

/** A session id or CSRF token: 32 random bytes, base64url (43 characters). Checked without a regex. */
export function sessionIdShapeOk(id: string): boolean {
  if (id.length !== 43) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}

/**
 * Console sessions: a browser exchanges an API token for an httpOnly cookie, so that every tab of the
 * console shares one sign-in. A session is only as good as its token: the token's revocation or expiry,
 * or its user being disabled, ends it; logout deletes it. Other clients keep using the token itself.
 */
export class SessionService {
  private readonly cache = new Map<string, { s: ResolvedSession; until: number }>();

  constructor(
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    userService: UserService,
    private readonly clock: Clock,
  ) {
    userService.onRevoked((userId) => {
      for (const [k, v] of this.cache) if (v.s.actor.userId === userId) this.cache.delete(k);
      void this.sessions.deleteOfUser(userId).catch(() => undefined);
    });
  }

  /** Opens a session for the holder of `token` (already authenticated as `actor`). */
  async open(token: string, actor: UserActor): Promise<OpenedSession> {
    const now = this.clock.now();
    const owner = await this.users.ownerOfToken(hashToken(token));
    const limit = now.getTime() + SESSION_HOURS * 3_600_000;
    const tokenEnd = owner?.expiresAt ? Date.parse(owner.expiresAt) : Infinity;
    const expiresAt = new Date(Math.min(limit, tokenEnd)).toISOString();
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await this.sessions.deleteExpired(now.toISOString());
    await this.sessions.insert({
      idHash: hashToken(id),
      tokenHash: hashToken(token),
      userId: actor.userId,
      csrf: csrfToken,
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { id, csrfToken, expiresAt };
  }

  /**
   * The session a cookie names, or undefined when it is unknown, ended, expired, or its token no longer
   * valid. Cached a few seconds unless `fresh` (live streams check again with `fresh`).
   */
  async resolve(id: string, opts: { fresh?: boolean } = {}): Promise<ResolvedSession | undefined> {
    if (!sessionIdShapeOk(id)) return undefined;
    const key = hashToken(id);
    const now = this.clock.now();
    const hit = opts.fresh ? undefined : this.cache.get(key);
    if (hit && hit.until > now.getTime() && hit.s.expiresAt > now.toISOString()) return hit.s;
    this.cache.delete(key);
    const row = await this.sessions.byIdHash(key);
    if (!row || row.expiresAt <= now.toISOString()) return undefined;
    const owner = await this.users.ownerOfToken(row.tokenHash);
    if (
      !owner ||
      owner.disabled ||
      owner.id !== row.userId ||
      (owner.expiresAt && owner.expiresAt <= now.toISOString())
    )
      return undefined;
    const s: ResolvedSession = {
      actor: {
        kind: 'user',
        userId: owner.id,
        userName: owner.name,
        org: owner.org,
        orgKind: owner.orgKind,
        role: owner.role,
      },
      csrfToken: row.csrf,
      expiresAt: row.expiresAt,
    };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { s, until: now.getTime() + CACHE_MS });
    return s;
  }

  /** Logout: the session ends at once, on this process and (through the store) on every other. */
  async close(id: string): Promise<void> {
    if (!sessionIdShapeOk(id)) return;
    const key = hashToken(id);
    this.cache.delete(key);
    await this.sessions.delete(key);
  }
}
