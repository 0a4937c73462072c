import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyText } from './copy-text.ts';

/** Reads COPY text format back (the test's independent decoder). */
function parse(text: string): string[][] {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) =>
    line
      .split('\t')
      .map((f) => f.replace(/\\(.)/g, (_, c: string) => ({ '\\': '\\', t: '\t', n: '\n', r: '\r' })[c] ?? `?${c}`)),
  );
}

describe('copyText (PostgreSQL COPY text format)', () => {
  it('round-trips any text, as a string or as UTF-8 bytes (property)', () => {
    const value = fc.string({ unit: fc.constantFrom('a', '\\', '\t', '\n', '\r', 'é', '😀', '"', 'x') });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value, fc.integer(), fc.boolean()), { maxLength: 20 }), (rows) => {
        const buf = copyText(
          rows.map(([a, last, n, asBytes]) => ({
            head: [a, n],
            last: asBytes ? new TextEncoder().encode(last) : last,
          })),
        );
        expect(parse(buf.toString('utf8'))).toEqual(rows.map(([a, last, n]) => [a, String(n), last]));
      }),
      { numRuns: 300 },
    );
  });

  it('escapes a view into a larger buffer without reading outside it', () => {
    const all = new TextEncoder().encode('\\\\{"a":"b\\"c"}\\\\');
    expect(copyText([{ head: ['x'], last: all.subarray(2, all.length - 2) }]).toString()).toBe('x\t{"a":"b\\\\"c"}\n');
  });
});
