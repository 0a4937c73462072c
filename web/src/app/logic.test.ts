import { describe, expect, it } from 'vitest';
import { buildIncident } from '../incidents/report.ts';
import { changedFields } from '../incidents/api.ts';
import { axisPercent } from '../campaigns/logic.ts';
import { orderProposals } from '../council/order.ts';
import { describeStream, linkOf, summary } from '../stream/present.ts';
import { invalidationsOf, parseData } from '../stream/events.ts';
import { countryAt } from '../map/geo.ts';
import { ttpLabel } from '../incidents/ttp.ts';
import { natureOf } from '../treaty/nature.ts';
import { parseHash, hrefOf } from './router.ts';
import { normaliseToken } from '../auth/session.ts';
import type { Incident } from '../api/types.ts';
import type { ProposalViewT } from '../council/api.ts';

describe('buildIncident', () => {
  const base = {
    title: ' Jamming ',
    description: 'GPS jamming',
    category: 'airspace-violation',
    occurredAt: '2025-05-01T10:00',
    lat: '59.4',
    lon: '24.7',
    affected: ['EE'],
    observables: [
      { type: 'domain-name', value: ' evil.example ' },
      { type: 'url', value: ' ' },
    ],
    narratives: 'one\n\n two ',
    ttps: [],
    tlp: 'amber' as const,
    audience: [],
  };
  it('trims, drops empty rows, splits narratives and omits what is empty', () => {
    const b = buildIncident(base);
    expect(b.title).toBe('Jamming');
    expect(b.location).toEqual({ lat: 59.4, lon: 24.7 });
    expect(b.observables).toEqual([{ type: 'domain-name', value: 'evil.example' }]);
    expect(b.narratives).toEqual(['one', 'two']);
    expect(b).not.toHaveProperty('ttps');
    expect(b).not.toHaveProperty('audience');
    expect(b.occurredAt).toMatch(/Z$/);
  });
  it('leaves the place out when it is not typed', () => {
    expect(buildIncident({ ...base, lat: '', lon: '' })).not.toHaveProperty('location');
  });
});

describe('incident history', () => {
  it('names the fields that changed between versions', () => {
    const v1 = { title: 'a', tlp: 'amber', audience: [], location: null } as unknown as Incident;
    const v2 = { title: 'b', tlp: 'amber', audience: ['LT'], location: null } as unknown as Incident;
    expect(changedFields(v1, v2)).toEqual(['title', 'audience']);
  });
});

describe('campaign timeline', () => {
  it('places instants on a shared axis', () => {
    const from = Date.parse('2025-01-01T00:00:00Z');
    const to = Date.parse('2025-01-11T00:00:00Z');
    expect(axisPercent('2025-01-06T00:00:00Z', from, to)).toBe(50);
    expect(axisPercent('2024-01-01T00:00:00Z', from, to)).toBe(0);
    expect(axisPercent('nonsense', from, to)).toBe(0);
  });
});

describe('council ordering', () => {
  const p = (id: string, status: string, silenceEndsAt: string | null, decidedAt: string | null = null) =>
    ({ id, status, silenceEndsAt, decidedAt, createdAt: '2025-01-01T00:00:00Z' }) as unknown as ProposalViewT;
  it('lists circulating proposals first by nearest deadline, then decided ones newest first', () => {
    const out = orderProposals([
      p('d1', 'adopted', null, '2025-01-02T00:00:00Z'),
      p('c2', 'circulating', '2025-02-02T00:00:00Z'),
      p('d2', 'silence-broken', null, '2025-01-05T00:00:00Z'),
      p('c1', 'circulating', '2025-02-01T00:00:00Z'),
    ]);
    expect(out.map((x) => x.id)).toEqual(['c1', 'c2', 'd2', 'd1']);
  });
});

describe('live feed', () => {
  const ev = (event: string, data: unknown) => ({ id: '1', event, data, receivedAt: 0 });
  it('links each event to what it is about', () => {
    expect(linkOf(ev('incident.created', { id: 'incident--1' }))).toBe('#/incidents/incident--1');
    expect(linkOf(ev('proposal.updated', { id: 'proposal--9' }))).toBe('#/council/proposal--9');
    expect(linkOf(ev('correlation.found', { id: 'link', incidents: ['incident--a', 'incident--b'] }))).toBe(
      '#/incidents/incident--a',
    );
    expect(linkOf(ev('other', 'text'))).toBeUndefined();
  });
  it('sums an event up in one line', () => {
    expect(summary(ev('incident.created', { id: 'incident--1', title: 'Jamming', category: 'cyber' }))).toBe(
      'Jamming · cyber',
    );
    expect(summary(ev('correlation.found', { id: 'link', score: 0.8123 }))).toBe('score 0.81');
    expect(summary(ev('heartbeat', 'text'))).toBe('heartbeat');
  });
  it('invalidates the queries an event makes stale', () => {
    expect(invalidationsOf('incident.created')).toEqual([]);
    expect(invalidationsOf('correlation.found')).toEqual([['correlations'], ['campaigns']]);
    expect(invalidationsOf('proposal.updated')).toEqual([['proposals'], ['proposal']]);
    expect(invalidationsOf('response.updated')).toEqual([['responses']]);
    expect(invalidationsOf('heartbeat')).toEqual([]);
    expect(parseData('{"id":"x"}')).toEqual({ id: 'x' });
    expect(parseData('not json')).toBe('not json');
  });
  it('describes each connection state for the status pill', () => {
    expect(describeStream({ kind: 'live', since: 0 }).tone).toBe('ok');
    expect(
      describeStream({ kind: 'reconnecting', attempt: 2, inMs: 4000, reason: 'connection dropped' }).detail,
    ).toMatch(/retry in 4 s.*replayed/);
    expect(describeStream({ kind: 'unavailable', reason: 'no stream (404)' }).label).toBe('No live feed');
  });
});

describe('incident helpers', () => {
  it('names the country of a place, none at sea', () => {
    expect(countryAt({ lat: 59.437, lon: 24.745 })).toEqual({ name: 'Estonia', code: 'EE' });
    expect(countryAt({ lat: 45, lon: -30 })).toBeUndefined();
  });
  it('assesses cyber incidents as cyber and the others as hybrid', () => {
    expect(natureOf('cyber')).toBe('cyber');
    expect(natureOf('disinformation')).toBe('hybrid');
  });
  it('shows a TTP with its catalogue id when it has one', () => {
    expect(ttpLabel({ id: 'attack-pattern--1', name: 'Phishing', externalId: 'T1566', source: 'mitre-attack' })).toBe(
      'T1566 Phishing',
    );
    expect(ttpLabel({ id: 'attack-pattern--2', name: 'Amplify', externalId: null, source: null })).toBe('Amplify');
  });
});

describe('router and session helpers', () => {
  it('round-trips hash routes and falls back to the situation', () => {
    expect(parseHash(hrefOf('incidents', 'incident--a/b'))).toEqual({ view: 'incidents', id: 'incident--a/b' });
    expect(parseHash('')).toEqual({ view: 'situation', id: undefined });
    expect(parseHash('#/nowhere')).toEqual({ view: 'nowhere', id: undefined });
  });
  it('normalises pasted tokens', () => {
    expect(normaliseToken('  Bearer bwk_x \n')).toBe('bwk_x');
    expect(normaliseToken('bwk_y')).toBe('bwk_y');
  });
});
