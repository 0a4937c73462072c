/**
 * The console's sign-in is a server session: the API token is exchanged once (POST /api/v1/session) for
 * an httpOnly, SameSite=Strict cookie that every tab shares and no script can read. Each tab keeps only
 * the session's CSRF token in memory (GET /api/v1/session tells a new tab) and echoes it on writes.
 */
import { ApiError, errorOf } from '../api/client.ts';
import { forgetFeed } from '../stream/feed-history.ts';

const LAST_EVENT = 'bulwark.lastEventId';
export const SESSION_PATH = '/api/v1/session';
/** Tabs of the console tell each other about sign-in and sign-out at once. */
const CHANNEL = 'bulwark.session';

export interface ConsoleSession {
  csrfToken: string;
  expiresAt: string;
}

async function call(method: string, headers: Record<string, string>, f: typeof fetch): Promise<Response> {
  try {
    return await f(SESSION_PATH, {
      method,
      headers: { Accept: 'application/json', ...headers },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'the server cannot be reached; check the connection and retry');
  }
}

/** Exchanges a token for a session cookie; the token is not kept anywhere afterwards. */
export async function openSession(token: string, f: typeof fetch = fetch): Promise<ConsoleSession> {
  const res = await call('POST', { Authorization: `Bearer ${token}` }, f);
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as ConsoleSession;
}

/** The session this browser already holds (another tab signed in), or null when there is none. */
export async function currentSession(f: typeof fetch = fetch): Promise<ConsoleSession | null> {
  const res = await call('GET', {}, f);
  if (res.status === 401 || res.status === 404) return null;
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as ConsoleSession;
}

/** Logout: the server ends the session and clears the cookie (every tab is signed out). */
export async function closeSession(csrfToken: string, f: typeof fetch = fetch): Promise<void> {
  await call('DELETE', { 'X-CSRF-Token': csrfToken }, f).catch(() => undefined);
}

export function clearSession(): void {
  sessionStorage.removeItem(LAST_EVENT);
  forgetFeed(sessionStorage);
}

export function loadLastEventId(): string | undefined {
  return sessionStorage.getItem(LAST_EVENT) ?? undefined;
}

export function saveLastEventId(id: string): void {
  sessionStorage.setItem(LAST_EVENT, id);
}

/** This tab, so that it ignores its own announcements. */
const TAB = Math.random().toString(36).slice(2);

/** Tells the other tabs of this browser that this one signed in or out. */
export function announce(what: 'in' | 'out'): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const ch = new BroadcastChannel(CHANNEL);
  ch.postMessage({ what, from: TAB });
  ch.close();
}

/** Hears the other tabs' announcements; returns an unsubscribe. */
export function onOtherTabs(on: (what: 'in' | 'out') => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = (e: MessageEvent<unknown>) => {
    const m = e.data as { what?: unknown; from?: unknown } | null;
    if (m?.from !== TAB && (m?.what === 'in' || m?.what === 'out')) on(m.what);
  };
  return () => ch.close();
}

/** Tokens are pasted: trim whitespace and a "Bearer " prefix someone copied along. */
export function normaliseToken(input: string): string {
  const t = input.trim();
  return t.toLowerCase().startsWith('bearer ') ? t.slice(7).trim() : t;
}
