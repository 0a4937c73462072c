import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMicros, parseMicros, timestampKey } from './stix.ts';

/** What a STIX timestamp means, by the engine's own calendar: the reference for timestampKey. */
function reference(v: string): string | undefined {
  if (v.length < 20 || v.length > 30 || !v.endsWith('Z')) return undefined;
  const [date, time] = [v.slice(0, 10), v.slice(11, -1)];
  if (v[10] !== 'T' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(time);
  if (!m) return undefined;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (h > 23 || mi > 59 || s > 60) return undefined;
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || t.getUTCDate() !== d || t.getUTCMonth() !== mo - 1) return undefined;
  return `${v.slice(0, 19)}.${(m[4] ?? '').padEnd(9, '0')}Z`;
}

describe('timestampKey', () => {
  it('accepts exactly the valid UTC timestamps, leap days included, and keys them to nanoseconds', () => {
    expect(timestampKey('2024-02-29T23:59:60Z')).toBe('2024-02-29T23:59:60.000000000Z');
    expect(timestampKey('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(timestampKey('1900-02-29T00:00:00Z')).toBeUndefined();
    expect(timestampKey('2000-02-29T00:00:00.1Z')).toBe('2000-02-29T00:00:00.100000000Z');
    expect(timestampKey('2024-04-31T00:00:00Z')).toBeUndefined();
    expect(timestampKey('2024-01-01T00:00:00')).toBeUndefined();
    expect(timestampKey('2024-01-01T00:00:00.Z')).toBeUndefined();
    expect(timestampKey('2024-01-01T00:00:00.1234567891Z')).toBeUndefined();
    const digit = fc.constantFrom(...'0123456789');
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc
      .tuple(
        fc.integer({ min: 1600, max: 2400 }),
        two(13),
        two(32),
        two(25),
        two(61),
        two(61),
        fc.option(fc.string({ unit: digit, minLength: 0, maxLength: 10 }), { nil: undefined }),
      )
      .map(([y, mo, d, h, mi, s, f]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f === undefined ? '' : `.${f}`}Z`);
    fc.assert(
      fc.property(fc.oneof(stamp, fc.string({ maxLength: 32 })), (v) => {
        expect(timestampKey(v)).toBe(reference(v));
      }),
      { numRuns: 5000 },
    );
  });

  it('formatMicros writes date_added with six fraction digits, also for consecutive and repeated calls', () => {
    expect(formatMicros(1_700_000_000_000_007)).toBe('2023-11-14T22:13:20.000007Z');
    expect(formatMicros(1_700_000_000_000_070)).toBe('2023-11-14T22:13:20.000070Z');
    expect(formatMicros(1_700_000_000_123_456)).toBe('2023-11-14T22:13:20.123456Z');
    expect(formatMicros(1_700_000_000_000_007)).toBe('2023-11-14T22:13:20.000007Z');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4_102_444_800_000_000 }), { minLength: 1, maxLength: 20 }),
        (xs) => {
          for (const us of xs)
            expect(formatMicros(us)).toBe(
              `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`,
            );
        },
      ),
    );
  });

  it('parseMicros and formatMicros round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000_000 }), (us) => {
        expect(parseMicros(formatMicros(us))).toBe(us);
      }),
    );
  });
});
