import { describe, expect, it } from 'vitest';
import {
  distanceKm,
  linkReleasability,
  proximity,
  readersOf,
  scoreLink,
  ttpOverlap,
  NO_AUTHOR,
} from './correlation.ts';
import { components } from './campaign.ts';
import { canRead } from '../../kernel/access/releasability.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { isoWeek } from './incident.ts';

describe('correlation scoring', () => {
  it('combines evidence by noisy-OR and orders reasons by weight', () => {
    const r = scoreLink([
      { kind: 'observable', type: 'domain-name', value: 'evil.example' },
      { kind: 'narrative', similarity: 0.5 },
    ])!;
    expect(r.score).toBeCloseTo(1 - 0.5 * 0.6, 3);
    expect(r.reasons).toEqual(['shared domain-name evil.example', 'narrative 50% similar']);
  });
  it('proximity alone never links; beside another reason it adds a little', () => {
    expect(scoreLink([{ kind: 'proximity', days: 1, km: 10 }])).toBeUndefined();
    expect(scoreLink([{ kind: 'common', type: 'domain-name', value: 'x' }])).toBeUndefined();
    const r = scoreLink([
      { kind: 'actor', name: 'X' },
      { kind: 'proximity', days: 1, km: 10 },
    ])!;
    expect(r.score).toBeCloseTo(1 - 0.5 * 0.85, 3);
    expect(r.reasons).toContain('same actor X');
  });
  it('measures time and place', () => {
    expect(distanceKm({ lat: 52.23, lon: 21.01 }, { lat: 54.69, lon: 25.28 })).toBeGreaterThan(380);
    expect(distanceKm({ lat: 52.23, lon: 21.01 }, { lat: 54.69, lon: 25.28 })).toBeLessThan(400);
    expect(
      proximity(
        { occurredAt: '2026-01-01T00:00:00Z', lat: 52.23, lon: 21.01 },
        { occurredAt: '2026-01-05T00:00:00Z', lat: 54.69, lon: 25.28 },
      ),
    ).toMatchObject({ days: 4 });
    expect(
      proximity(
        { occurredAt: '2026-01-01T00:00:00Z', lat: 52.23, lon: 21.01 },
        { occurredAt: '2026-01-12T00:00:00Z', lat: 54.69, lon: 25.28 },
      ),
    ).toBeUndefined();
    expect(
      proximity(
        { occurredAt: '2026-01-01T00:00:00Z', lat: 52.23, lon: 21.01 },
        { occurredAt: '2026-01-02T00:00:00Z', lat: 44.43, lon: 26.1 },
      ),
    ).toBeUndefined();
  });
  it('scores technique overlap by Jaccard', () => {
    expect(ttpOverlap(['a', 'b'], ['b', 'c'])).toEqual({ kind: 'ttps', shared: ['b'], jaccard: 1 / 3 });
    expect(ttpOverlap(['a'], ['c'])).toBeUndefined();
  });
  it('a link event reaches exactly the organisations that read both incidents', () => {
    const a = { author: 'PL', tlp: 'amber' as const, audience: [] };
    const b = { author: 'LT', tlp: 'green' as const, audience: ['PL', 'LV', 'UA'] };
    const rel = linkReleasability(a, b)!;
    expect(rel.author).toBe(NO_AUTHOR);
    for (const o of ORGANISATIONS) {
      const reader = { kind: 'org' as const, org: o.code, orgKind: o.kind };
      expect(canRead(reader, rel)).toBe(canRead(reader, a) && canRead(reader, b));
    }
    expect(
      linkReleasability({ author: 'PL', tlp: 'red', audience: [] }, { author: 'LT', tlp: 'red', audience: [] }),
    ).toBeUndefined();
    expect(readersOf({ author: 'PL', tlp: 'clear', audience: [] })).toHaveLength(ORGANISATIONS.length);
  });
  it('groups strong links into components', () => {
    const c = components([
      { a: 'a', b: 'b', score: 0.6 },
      { a: 'b', b: 'c', score: 0.9 },
      { a: 'x', b: 'y', score: 0.7 },
    ]);
    expect(c.map((x) => x.incidents)).toEqual([
      ['a', 'b', 'c'],
      ['x', 'y'],
    ]);
    expect(c[0]!.maxScore).toBe(0.9);
  });
  it('computes ISO weeks', () => {
    expect(isoWeek('2021-01-03T00:00:00Z')).toBe('2020-W53');
    expect(isoWeek('2024-12-30T00:00:00Z')).toBe('2025-W01');
    expect(isoWeek('2026-03-02T08:00:00Z')).toBe('2026-W10');
  });
});
