import { describe, expect, it } from 'vitest';
import { ticks, xOf } from './timeline.ts';
import { linksWithin } from './members.ts';

describe('campaign timeline and links', () => {
  it('ticks on ISO days for short spans and month starts for long ones', () => {
    const d = (s: string) => Date.parse(s);
    const short = ticks(d('2026-03-01T10:00:00Z'), d('2026-03-09T00:00:00Z'));
    expect(short.map((t) => t.label)).toEqual(['2026-03-02', '2026-03-04', '2026-03-06', '2026-03-08']);
    const long = ticks(d('2025-01-15T00:00:00Z'), d('2026-01-15T00:00:00Z'));
    expect(long.every((t) => t.label.endsWith('-01'))).toBe(true);
    expect(long.length).toBeGreaterThanOrEqual(4);
    expect(xOf(d('2026-03-01T10:00:00Z'), d('2026-03-01T10:00:00Z'), d('2026-03-09T00:00:00Z'), 640)).toBe(40);
  });
  it('keeps each link between members once, with its reasons, strongest first', () => {
    const c = (id: string, score: number, reasons: string[]) => ({ id, score, reasons, updatedAt: '' });
    const links = linksWithin(
      ['a', 'b', 'c'],
      [
        { id: 'a', items: [c('b', 0.5, ['shared domain x']), c('z', 0.9, ['outside'])] },
        { id: 'b', items: [c('a', 0.5, ['shared domain x']), c('c', 0.8, ['same narrative'])] },
      ],
    );
    expect(links).toEqual([
      { a: 'b', b: 'c', score: 0.8, reasons: ['same narrative'] },
      { a: 'a', b: 'b', score: 0.5, reasons: ['shared domain x'] },
    ]);
  });
});
