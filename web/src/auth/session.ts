/** The session's API token lives in sessionStorage: gone when the tab closes, never in a cookie. */
const KEY = 'bulwark.token';
const LAST_EVENT = 'bulwark.lastEventId';

export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(LAST_EVENT);
}

export function loadLastEventId(): string | undefined {
  return sessionStorage.getItem(LAST_EVENT) ?? undefined;
}

export function saveLastEventId(id: string): void {
  sessionStorage.setItem(LAST_EVENT, id);
}

/** Tokens are pasted: trim whitespace and a "Bearer " prefix someone copied along. */
export function normaliseToken(input: string): string {
  const t = input.trim();
  return t.toLowerCase().startsWith('bearer ') ? t.slice(7).trim() : t;
}
