import { describe, expect, it } from 'vitest';
import { allianceProjection, binPoints, countries, standingOf } from './geo.ts';
import type { Member } from '../api/types.ts';

describe('countries', () => {
  it('finds every member and partner in the atlas', () => {
    const codes = new Set(
      countries()
        .map((c) => c.code)
        .filter(Boolean),
    );
    for (const c of ['US', 'CA', 'PL', 'TR', 'FI', 'SE', 'MK', 'ME', 'UA', 'GE', 'MD', 'AT', 'IE', 'CH', 'IS', 'LU'])
      expect(codes).toContain(c);
    expect(codes.size).toBe(38);
  });
});

describe('standingOf', () => {
  const orgs = new Map<string, Member>([
    ['FI', { code: 'FI', name: 'Finland', kind: 'member', joined: '2023-04-04' }],
    ['UA', { code: 'UA', name: 'Ukraine', kind: 'partner', joined: null }],
  ]);
  it('counts a member from its accession date on', () => {
    expect(standingOf('FI', orgs, '2023-04-03T23:00:00Z')).toBe('other');
    expect(standingOf('FI', orgs, '2023-04-04T00:00:00Z')).toBe('member');
    expect(standingOf('UA', orgs, '2024-01-01')).toBe('partner');
    expect(standingOf(undefined, orgs, '2024-01-01')).toBe('other');
  });
});

describe('allianceProjection', () => {
  it('puts Washington left of Warsaw, and both inside the frame', () => {
    const p = allianceProjection(1000, 600);
    const dc = p([-77.04, 38.9])!;
    const waw = p([21.01, 52.23])!;
    expect(dc[0]).toBeLessThan(waw[0]);
    for (const [x, y] of [dc, waw]) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1000);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(600);
    }
    const back = p.invert!(waw)!;
    expect(back[0]).toBeCloseTo(21.01, 3);
    expect(back[1]).toBeCloseTo(52.23, 3);
  });
});

describe('binPoints', () => {
  it('groups points per grid cell with the dominant category', () => {
    const bins = binPoints(
      [
        { id: 'a', x: 1, y: 1, category: 'cyber' },
        { id: 'b', x: 3, y: 3, category: 'sabotage' },
        { id: 'c', x: 2, y: 2, category: 'sabotage' },
        { id: 'd', x: 50, y: 50, category: 'other' },
        { id: 'e', x: Number.NaN, y: 0, category: 'other' },
      ],
      10,
    );
    expect(bins).toHaveLength(2);
    const first = bins.find((b) => b.count === 3)!;
    expect(first.category).toBe('sabotage');
    expect(first.x).toBeCloseTo(2);
    expect(first.ids.sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps 10,000 points to a bounded number of bins', () => {
    const pts = Array.from({ length: 10_000 }, (_, i) => ({
      id: String(i),
      x: (i * 37) % 1000,
      y: (i * 91) % 600,
      category: 'cyber',
    }));
    const bins = binPoints(pts, 12);
    expect(bins.length).toBeLessThanOrEqual(Math.ceil(1000 / 12) * Math.ceil(600 / 12));
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(10_000);
  });
});
