import { validation } from './errors.ts';

/**
 * Keyset cursors of paged lists (`limit`, `cursor` → `{ items, next }`): [sort key, id] as base64url
 * JSON. A list reads limit + 1 rows after the cursor's position; pageOf cuts them into a page.
 */
export interface Position {
  key: string;
  id: string;
}

export function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/** The position a cursor names, or undefined for anything else (bounded lengths). */
export function decodeCursor(c: string | undefined): Position | undefined {
  if (c === undefined || c === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      if (v[0].length < 60 && v[1].length < 300) return { key: v[0], id: v[1] };
  } catch {
    // falls through
  }
  return undefined;
}

/** The position of a list's `cursor` query parameter; one the list never gave is a 400 naming it. */
export function cursorAfter(cursor: string | undefined): Position | undefined {
  const after = decodeCursor(cursor);
  if (cursor && !after) throw validation('query.cursor', 'is not a cursor this list gave');
  return after;
}

/** A page of `limit` items from limit + 1 rows read, with the cursor of the next page when there is one. */
export function pageOf<T extends { id: string }>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string,
): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? encodeCursor(keyOf(last), last.id) : null };
}
