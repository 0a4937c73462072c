import { Framed } from './framed.ts';

/** Join the text of one column of the first `limit` rows with commas, framed (see Framed). */
export interface JoinSpec {
  column: number;
  limit: number;
  /** Bytes left free in front of the joined text and text put after it. */
  room: number;
  suffix: string;
}

/** What a joined read returns instead of its rows: what a page needs to know of them, and its body. */
export interface JoinedRows {
  /** How many rows the query returned (may be more than `limit`). */
  count: number;
  /** The first row and the last joined row (index min(count, limit) - 1), without the joined column. */
  first: unknown[] | undefined;
  last: unknown[] | undefined;
  /** The joined column of the first `limit` rows, then the suffix, as UTF-8 with room for a prefix. */
  joined: Framed;
}

/** Pure; runs on a reader thread (read-worker.ts) or, without one, on the calling thread. */
export function joinRows(rows: readonly unknown[][], spec: JoinSpec, memory?: (size: number) => ArrayBuffer | undefined): JoinedRows {
  const n = Math.min(rows.length, spec.limit);
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = String(rows[i]![spec.column]);
  const strip = (r: unknown[] | undefined) => r?.filter((_, c) => c !== spec.column);
  return { count: rows.length, first: strip(rows[0]), last: strip(n > 0 ? rows[n - 1] : undefined), joined: Framed.encode(parts.join(','), spec.room, spec.suffix, memory) };
}
