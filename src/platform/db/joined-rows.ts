import { Framed } from './framed.ts';
import { releasedJson } from '../../kernel/access/outbound.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';

/**
 * Join the text of one column of the first rows with commas, framed (see Framed), up to `limit` rows
 * and `maxBytes` bytes of text: a page never holds more than `maxBytes` plus one row (the row that
 * tells there is more), whatever the objects' size, and always at least one row (a single row larger
 * than `maxBytes` is served alone, so paging always makes progress).
 */
export interface JoinSpec {
  column: number;
  limit: number;
  maxBytes: number;
  /** Bytes left free in front of the joined text and text put after it. */
  room: number;
  suffix: string;
  /**
   * Columns of the stored TLP and audience: each text leaves as releasedJson makes it (the release it
   * is held under, for objects leaving the store).
   */
  release?: { tlp: number; audience: number };
}

/** What a joined read returns instead of its rows: what a page needs to know of them, and its body. */
export interface JoinedRows {
  /** Rows joined. */
  count: number;
  /** Whether the query had rows after them (beyond `limit` or `maxBytes`). */
  more: boolean;
  /** The first and the last joined row, each without the joined column. */
  first: unknown[] | undefined;
  last: unknown[] | undefined;
  /** The joined column of the rows, then the suffix, as UTF-8 with room for a prefix. */
  joined: Framed;
}

/**
 * Takes rows one at a time until the page is full, so that the caller reads no more of them than it
 * needs (an iterator over a statement, stopped early). A null (anything but text) in the joined column marks a row the
 * query itself left out for size (PostgreSQL computes the byte bound in SQL): the page ends there.
 */
export class RowJoiner {
  private readonly parts: string[] = [];
  private bytes = 0;
  private more = false;
  private first: unknown[] | undefined;
  private last: unknown[] | undefined;

  constructor(private readonly spec: JoinSpec) {}

  /** Adds the row to the page; false once the page is full (this row is not in it: there is more). */
  offer(row: unknown[]): boolean {
    const s = this.spec;
    const value = row[s.column];
    if (this.parts.length >= s.limit || typeof value !== 'string') {
      this.more = true;
      return false;
    }
    let text = value;
    if (s.release)
      text = releasedJson(text, { tlp: row[s.release.tlp] as Tlp, audience: String(row[s.release.audience]) });
    const n = Buffer.byteLength(text);
    if (this.parts.length > 0 && this.bytes + n > s.maxBytes) {
      this.more = true;
      return false;
    }
    this.parts.push(text);
    this.bytes += n;
    const meta = row.filter((_, c) => c !== s.column);
    this.first ??= meta;
    this.last = meta;
    return true;
  }

  done(memory?: (size: number) => ArrayBuffer | undefined): JoinedRows {
    const joined = Framed.encodeParts(this.parts, this.bytes, this.spec.room, this.spec.suffix, memory);
    return { count: this.parts.length, more: this.more, first: this.first, last: this.last, joined };
  }
}

/** Pure; runs on a reader thread (read-worker.ts) or, without one, on the calling thread. Stops reading `rows` once the page is full. */
export function joinRows(
  rows: Iterable<unknown[]>,
  spec: JoinSpec,
  memory?: (size: number) => ArrayBuffer | undefined,
): JoinedRows {
  const j = new RowJoiner(spec);
  for (const r of rows) if (!j.offer(r)) break;
  return j.done(memory);
}
