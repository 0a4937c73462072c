/**
 * Rows in PostgreSQL's COPY text format (one line per row, columns separated by tabs; backslash, tab,
 * newline and carriage return escaped with a backslash), as one buffer: the bulk path of an import.
 */
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** The byte after the backslash, by the byte escaped. */
const ESCAPE_BYTE = new Map([
  [92, 92],
  [9, 116],
  [10, 110],
  [13, 114],
]);
const SPECIAL_BYTES = [...ESCAPE_BYTE.keys()];

export function copyField(v: string | number): string {
  const s = String(v);
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : s;
}

export interface CopyRow {
  head: ReadonlyArray<string | number>;
  /** The last column; as UTF-8 bytes, it is escaped as bytes, never decoded. */
  last: string | Uint8Array;
}

export function copyText(rows: readonly CopyRow[]): Buffer {
  let bound = 0;
  const lines = rows.map((r) => {
    const head = `${r.head.map(copyField).join('\t')}\t`;
    const last = typeof r.last === 'string' ? Buffer.from(r.last) : r.last;
    bound += Buffer.byteLength(head) + 2 * last.length + 1;
    return { head, last };
  });
  const out = Buffer.allocUnsafe(bound);
  let at = 0;
  for (const { head, last } of lines) {
    at += out.write(head, at, 'utf8');
    at = writeEscaped(out, at, last);
    out[at++] = 10;
  }
  return out.subarray(0, at);
}

/** Copies bytes into `out` at `at`, escaped; returns the new end. Each special byte is found once, by indexOf. */
function writeEscaped(out: Buffer, at: number, bytes: Uint8Array): number {
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const next = SPECIAL_BYTES.map((b) => src.indexOf(b));
  let from = 0;
  for (;;) {
    let k = -1;
    for (let j = 0; j < next.length; j++) if (next[j]! >= 0 && (k < 0 || next[j]! < next[k]!)) k = j;
    const end = k < 0 ? src.length : next[k]!;
    at += src.copy(out, at, from, end);
    if (k < 0) return at;
    out[at++] = 92;
    out[at++] = ESCAPE_BYTE.get(src[end]!)!;
    from = end + 1;
    next[k] = src.indexOf(SPECIAL_BYTES[k]!, from);
  }
}
