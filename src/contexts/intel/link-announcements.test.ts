import { describe, expect, it } from 'vitest';
import { Announcements } from './link-announcements.ts';

const all = { author: '', tlp: 'red' as const, audience: ['DE', 'LT', 'PL'] };
const two = { author: '', tlp: 'red' as const, audience: ['LT', 'PL'] };
const link = (other: string, score: number) => ({
  id: `relationship--${other}`,
  incidents: ['incident--x', `incident--${other}`] as [string, string],
  score,
  reasons: [`shared ${other}`],
});

describe('Announcements', () => {
  it('announces a lone link as before: the link as the object, its incidents, score and reasons', () => {
    const a = new Announcements('incident--x');
    a.add(all, link('a', 0.5));
    expect(a.events()).toEqual([
      {
        event: 'correlation.found',
        objectId: 'relationship--a',
        ...all,
        payload: { incidents: ['incident--x', 'incident--a'], score: 0.5, reasons: ['shared a'] },
      },
    ]);
  });

  it('announces the links of one release in one event, strongest first, and each release apart', () => {
    const a = new Announcements('incident--x');
    a.add(all, link('a', 0.5));
    a.add(two, link('b', 0.9));
    a.add({ ...all, audience: ['PL', 'DE', 'LT'] }, link('c', 0.7)); // the same release, listed in another order
    const events = a.events();
    expect(events).toHaveLength(2);
    const wide = events.find((e) => e.audience.length === 3)!;
    expect(wide.payload).toEqual({
      incidents: ['incident--x', 'incident--c'],
      score: 0.7,
      reasons: ['shared c'],
      links: [link('c', 0.7), link('a', 0.5)],
    });
    expect(wide.objectId).toMatch(/^relationship--[0-9a-f-]{36}$/);
    // The same incident's announcement to the same release keeps its id; another release's differs.
    const again = new Announcements('incident--x');
    again.add(all, link('d', 0.1));
    again.add(all, link('e', 0.2));
    expect(again.events()[0]!.objectId).toBe(wide.objectId);
    expect(events.find((e) => e.audience.length === 2)).toMatchObject({ objectId: 'relationship--b', ...two });
  });
});
