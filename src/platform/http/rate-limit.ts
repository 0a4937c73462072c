import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveCredentials, type Authenticator, type SessionResolver } from './authenticate.ts';

/** Fixed-window counters, one per key, with a bounded number of keys. Pure apart from the clock. */
export class WindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit; past `max` in the current window, says how many seconds until the window ends. */
  hit(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (w) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.sweep(now);
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= this.max) return { ok: true };
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  get size(): number {
    return this.windows.size;
  }

  /** Forgets ended windows; if every window is current, the oldest half (a flood of fresh keys). */
  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    if (this.windows.size < this.maxKeys) return;
    let drop = Math.ceil(this.maxKeys / 2);
    for (const k of this.windows.keys()) {
      if (drop-- <= 0) break;
      this.windows.delete(k);
    }
  }
}

export interface RateLimitOptions {
  /** Requests per minute per signed-in user, or per address without credentials; 0: no limit. */
  perMinute: number;
  /** Requests per minute per address that fail authentication; past it, 429 instead of 401. */
  authFailuresPerMinute: number;
  authenticate: Authenticator;
  /** Session cookies count as credentials (the user's requests are counted under the user). */
  sessions?: SessionResolver | undefined;
  /** Requests that are never limited (health checks, the metrics scraper). */
  exempt: (req: FastifyRequest) => boolean;
}

/** A 429 the scopes' error handlers render in their own format (REST or TAXII). */
export class TooManyRequests extends Error {
  readonly statusCode = 429;
}

/**
 * The rate limit, as a root onRequest hook so that it runs before any scope authenticates (a request
 * that fails authentication is counted too). A signed-in user's requests are counted under the user,
 * whatever the spelling of the header or the token used; requests without credentials under the client
 * address; and requests whose credentials fail, under the address in a bucket of their own, so that
 * guessing or replaying revoked tokens never blocks valid tokens from the same address.
 */
export function rateLimitHook(o: RateLimitOptions): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const requests = new WindowCounter(o.perMinute, 60_000);
  const failures = new WindowCounter(o.authFailuresPerMinute, 60_000);
  return async (req, reply) => {
    if (o.exempt(req)) return;
    const who = await resolveCredentials(req, o.authenticate, o.sessions);
    let verdict: ReturnType<WindowCounter['hit']>;
    let what: string;
    if (who.kind === 'invalid') {
      verdict = failures.hit(req.ip);
      what = 'failed authentications from this address';
    } else {
      if (o.perMinute <= 0) return;
      verdict = requests.hit(who.kind === 'user' ? `user:${who.actor.userId}` : `addr:${req.ip}`);
      what = who.kind === 'user' ? 'requests by this user' : 'requests without credentials from this address';
    }
    if (verdict.ok) return;
    void reply.header('retry-after', String(verdict.retryAfterS));
    throw new TooManyRequests(`too many ${what}; retry after ${verdict.retryAfterS} s`);
  };
}
