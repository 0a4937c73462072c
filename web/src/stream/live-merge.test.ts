import { describe, expect, it } from 'vitest';
import { matchesFilters, mergeIncident } from './live-merge.ts';
import type { Incident } from '../api/types.ts';

const inc = (id: string, category = 'cyber', members = ['PL'], occurredAt = '2025-05-01T00:00:00Z'): Incident =>
  ({ id, title: id, category, affectedMembers: members, occurredAt }) as unknown as Incident;
const data = (...pages: Incident[][]) => ({
  pages: pages.map((items, k) => ({ items, next: k === pages.length - 1 ? null : `c${k}` })),
  pageParams: pages.map(() => undefined),
});

describe('mergeIncident', () => {
  it('inserts a new incident where the server order (occurredAt, id descending) puts it', () => {
    const d = data(
      [inc('a', 'cyber', ['PL'], '2025-05-03T00:00:00Z'), inc('b', 'cyber', ['PL'], '2025-05-02T00:00:00Z')],
      [inc('c', 'cyber', ['PL'], '2025-05-01T00:00:00Z')],
    );
    expect(
      mergeIncident(d, inc('n', 'cyber', ['PL'], '2025-06-01T00:00:00Z'), {})!.pages[0]!.items.map((x) => x.id),
    ).toEqual(['n', 'a', 'b']);
    expect(
      mergeIncident(d, inc('m', 'cyber', ['PL'], '2025-05-01T12:00:00Z'), {})!.pages[1]!.items.map((x) => x.id),
    ).toEqual(['m', 'c']);
    expect(
      mergeIncident(d, inc('o', 'cyber', ['PL'], '2024-01-01T00:00:00Z'), {})!.pages[1]!.items.map((x) => x.id),
    ).toEqual(['c', 'o']);
  });

  it('leaves an old incident for a later page while more pages exist', () => {
    const d = {
      pages: [{ items: [inc('a', 'cyber', ['PL'], '2025-05-03T00:00:00Z')], next: 'c1' }],
      pageParams: [undefined],
    };
    expect(
      mergeIncident(d, inc('o', 'cyber', ['PL'], '2024-01-01T00:00:00Z'), {})!.pages[0]!.items.map((x) => x.id),
    ).toEqual(['a']);
  });

  it('replaces a known incident in place and drops one that no longer matches', () => {
    const changed = { ...inc('b'), title: 'new title' };
    expect(mergeIncident(data([inc('a')], [inc('b')]), changed, {})!.pages[1]!.items[0]!.title).toBe('new title');
    expect(
      mergeIncident(data([inc('a'), inc('b')]), inc('b', 'sabotage'), { category: 'cyber' })!.pages[0]!.items.map(
        (x) => x.id,
      ),
    ).toEqual(['a']);
  });

  it('leaves lists the incident does not belong to alone', () => {
    const d = data([inc('a')]);
    expect(mergeIncident(d, inc('n', 'cyber', ['LT']), { member: 'PL' })!.pages[0]!.items.map((x) => x.id)).toEqual([
      'a',
    ]);
    expect(mergeIncident(undefined, inc('n'), {})).toBeUndefined();
  });

  it('applies each filter', () => {
    expect(matchesFilters(inc('a'), { since: '2025-06-01T00:00:00Z' })).toBe(false);
    expect(
      matchesFilters(inc('a', 'cyber', ['PL', 'LT']), {
        member: 'LT',
        category: 'cyber',
        since: '2025-01-01T00:00:00Z',
      }),
    ).toBe(true);
  });
});
