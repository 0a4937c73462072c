import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../test/server.ts';
import { loadDemo } from './demo.ts';

describe('outlook demo data', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer();
  });
  afterEach(async () => s.close());

  it('holds the war scenario set with signposts, observations, an eastern-flank posture, a question and an ACH', async () => {
    const users = (await loadDemo(s.services))!;
    const tok = (org: string) => users.find((u) => u.org === org)!.token;
    const get = (org: string, url: string) =>
      s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tok(org)}` } }).then((r) => r.json());
    const sets = await get('LT', '/api/v1/outlook/scenario-sets');
    expect(sets.items).toHaveLength(1);
    const set = await get('LT', `/api/v1/outlook/scenario-sets/${sets.items[0].id}`);
    expect(set.scenarios.map((x: { key: string }) => x.key)).toEqual([
      'aggressor-momentum',
      'defender-wins',
      'settlement',
      'frozen',
    ]);
    expect(set.signposts).toHaveLength(6);
    expect(set.history).toHaveLength(4);
    expect(set.observations[0].evidence.length).toBeGreaterThan(0);
    const posture = await get('LT', `/api/v1/outlook/scenario-sets/${set.id}/posture`);
    expect(posture.members.map((m: { member: string }) => m.member)).toEqual([
      'BG',
      'EE',
      'FI',
      'HU',
      'LT',
      'LV',
      'PL',
      'RO',
      'SK',
    ]);
    // the partner reads the GREEN set, but only the evidence it may read
    const ua = await get('UA', `/api/v1/outlook/scenario-sets/${set.id}`);
    expect(ua.observations[0].evidence.length).toBeLessThanOrEqual(set.observations[0].evidence.length);
    const qs = await get('PL', '/api/v1/outlook/questions');
    expect(qs.items[0]).toMatchObject({ forecasters: 3, signpost: { set: set.id, key: 'direct-talks' } });
    const ach = await get('LT', '/api/v1/outlook/ach');
    const matrix = await get('LT', `/api/v1/outlook/ach/${ach.items[0].id}`);
    expect(matrix.hypotheses.find((h: { rank: number }) => h.rank === 1).key).toBe('state-service');
  });
});
