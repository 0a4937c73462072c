import { describe, expect, it } from 'vitest';
import type { Releasable } from '../../kernel/access/releasability.ts';
import { namedObjects, stillReleased } from './current-release.ts';
import type { PublishedEvent } from './event.ts';

const lt = { kind: 'org', org: 'LT', orgKind: 'member' } as const;
const ev = (over: Partial<PublishedEvent>): PublishedEvent => ({
  id: 1,
  event: 'incident.created',
  objectId: 'incident--a',
  author: 'PL',
  tlp: 'green',
  audience: [],
  payload: '{"id":"incident--a"}',
  createdAt: '2026-01-01T00:00:00Z',
  ...over,
});
const rel = (tlp: Releasable['tlp'], author = 'PL', audience: string[] = []): Releasable => ({ author, tlp, audience });

describe('stillReleased', () => {
  it("decides against the current version of the event's object as its author stores it", () => {
    expect(stillReleased(lt, ev({}), new Map([['incident--a', [rel('green')]]]))).toBe(true);
    expect(stillReleased(lt, ev({}), new Map([['incident--a', [rel('red')]]]))).toBe(false);
    expect(stillReleased(lt, ev({}), new Map([['incident--a', [rel('red', 'PL', ['LT'])]]]))).toBe(true);
    // Another author's copy (per-author observables) does not bound this author's event.
    expect(stillReleased(lt, ev({}), new Map([['incident--a', [rel('green'), rel('red', 'US')]]]))).toBe(true);
    // Objects the store does not hold bound nothing; the system reads everything.
    expect(stillReleased(lt, ev({}), new Map())).toBe(true);
    expect(stillReleased({ kind: 'system', name: 't' }, ev({}), new Map([['incident--a', [rel('red')]]]))).toBe(true);
  });

  it('bounds a correlation by both incidents it links', () => {
    const link = ev({
      event: 'correlation.found',
      objectId: 'x-bulwark-link--1',
      author: '',
      payload: '{"id":"x-bulwark-link--1","incidents":["incident--a","incident--b"]}',
    });
    expect(namedObjects(link)).toEqual(['x-bulwark-link--1', 'incident--a', 'incident--b']);
    const both = new Map([
      ['incident--a', [rel('green')]],
      ['incident--b', [rel('amber', 'US')]],
    ]);
    expect(stillReleased(lt, link, both)).toBe(true);
    expect(stillReleased(lt, link, new Map([...both, ['incident--b', [rel('red', 'US')]]]))).toBe(false);
    expect(namedObjects({ ...link, payload: '{"incidents": not json' })).toEqual(['x-bulwark-link--1']);
  });

  it('bounds an announcement of several links by every incident of every link', () => {
    const links = ev({
      event: 'correlation.found',
      objectId: 'relationship--group',
      author: '',
      payload: JSON.stringify({
        id: 'relationship--group',
        incidents: ['incident--a', 'incident--b'],
        links: [
          { id: 'relationship--ab', incidents: ['incident--a', 'incident--b'] },
          { id: 'relationship--ac', incidents: ['incident--a', 'incident--c'] },
        ],
      }),
    });
    expect(namedObjects(links)).toEqual(['relationship--group', 'incident--a', 'incident--b', 'incident--c']);
    const all = new Map([
      ['incident--a', [rel('green')]],
      ['incident--b', [rel('green', 'US')]],
      ['incident--c', [rel('green', 'DE')]],
    ]);
    expect(stillReleased(lt, links, all)).toBe(true);
    // The third incident, named only in the list, was narrowed: the whole announcement is withheld (fail closed).
    expect(stillReleased(lt, links, new Map([...all, ['incident--c', [rel('red', 'DE')]]]))).toBe(false);
  });
});
