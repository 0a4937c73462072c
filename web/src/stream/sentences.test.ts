import { describe, expect, it } from 'vitest';
import { incidentsOf, sentenceOf } from './sentences.ts';

const ev = (event: string, data: unknown) => ({ id: '1', event, data, receivedAt: 0 });

describe('live feed sentences', () => {
  it('reads a correlation as two named incidents and the reasons that link them', () => {
    const e = ev('correlation.found', {
      id: 'x',
      incidents: ['incident--a', 'incident--b'],
      score: 0.75,
      reasons: ['shared IP 203.0.113.7', 'same technique T1566'],
    });
    const lookup = (id: string) =>
      id === 'incident--a'
        ? { title: 'Phishing of Vilnius airport', author: 'LT', affectedMembers: ['LT'] }
        : { title: 'Gdańsk port phishing', author: 'PL', affectedMembers: [] };
    expect(sentenceOf(e, lookup)).toBe(
      'LT incident “Phishing of Vilnius airport” linked to PL incident “Gdańsk port phishing”: shared IP 203.0.113.7; same technique T1566 (75% alike)',
    );
    expect(incidentsOf(e)).toEqual(['incident--a', 'incident--b']);
    expect(sentenceOf(e)).toMatch(/^an incident \(loading…\) linked to/);
    // Links to one release announced together: the strongest reads as above, the rest are counted.
    const links = [{ incidents: ['incident--a', 'incident--b'] }, { incidents: ['incident--a', 'incident--c'] }];
    expect(sentenceOf(ev('correlation.found', { ...(e.data as object), links }), lookup)).toMatch(
      /linked to PL incident “Gdańsk port phishing”: .* \(75% alike\), and 1 other link$/,
    );
  });

  it('reads incidents, council and unknown events without raw names', () => {
    expect(
      sentenceOf(ev('incident.created', { title: 'Cable cut', category: 'sabotage', affectedMembers: ['FI', 'EE'] })),
    ).toBe('New sabotage incident (FI, EE): “Cable cut”');
    expect(
      sentenceOf(
        ev('proposal.updated', { kind: 'coordinated-response', status: 'silence-broken', procedure: 'silence' }),
      ),
    ).toBe('Coordinated response now silence broken');
    expect(sentenceOf(ev('support.created', { title: 'Air defence' }))).toBe('Support created: “Air defence”');
    expect(sentenceOf(ev('incident.created', 'not json'))).not.toContain('incident.created');
  });
});
