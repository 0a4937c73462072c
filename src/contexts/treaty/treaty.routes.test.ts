import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import type { App } from '../../platform/http/app.ts';
import { createApp, createServices, type Services } from '../../main.ts';
import { ManualClock, silenceInput, userOf } from '../council/council.fixtures.ts';
import { testConfig } from '../../../test/config.ts';

describe('treaty REST API', () => {
  let services: Services;
  let app: App;
  let token: string;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    services = await createServices(testConfig({ BULWARK_MIN_SILENCE_SECONDS: '60' }), {
      database: await openDatabase({ sqliteFile: ':memory:' }),
      log: silentLogger,
      clock,
    });
    app = await createApp(services);
    token = (await services.users.create({ member: 'PL', name: 'analyst-pl' })).token;
  });
  afterEach(async () => {
    await app.close();
    await services.close();
  });

  const post = (url: string, payload: object, auth = true) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/treaty${url}`,
      headers: auth ? { authorization: `Bearer ${token}` } : {},
      payload,
    });
  const get = (url: string) =>
    app.inject({ method: 'GET', url: `/api/v1/treaty${url}`, headers: { authorization: `Bearer ${token}` } });

  it('assesses the api.md example: Helsinki before and after Finland acceded', async () => {
    const body = {
      occurredAt: '2023-01-15T00:00:00Z',
      location: { lat: 60.17, lon: 24.94 },
      target: { party: 'FI', kind: 'territory' },
      nature: 'armed-attack',
    };
    const before = await post('/assessments', body);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      article5: 'not-covered',
      article4: 'not-available',
      partyIsMember: false,
      inTreatyArea: false,
      area: null,
    });
    const after = await post('/assessments', { ...body, occurredAt: '2023-04-04T08:00:00Z' });
    const a = after.json();
    expect(a).toMatchObject({
      article5: 'covered',
      article4: 'available',
      partyIsMember: true,
      inTreatyArea: true,
      area: 'article-6-i-europe',
    });
    expect(a.reasons.length).toBeGreaterThan(2);
    for (const r of a.reasons) expect(Object.keys(r).sort()).toEqual(['citation', 'rule', 'text']);
    const cyber = await post('/assessments', { ...body, occurredAt: '2024-01-01T00:00:00Z', nature: 'cyber' });
    expect(cyber.json().article5).toBe('council-decision');
  });

  it('400 naming the field for invalid input; 401 without a token', async () => {
    const good = {
      occurredAt: '2024-01-01T00:00:00Z',
      location: { lat: 52.2, lon: 21 },
      target: { party: 'PL', kind: 'territory' },
      nature: 'armed-attack',
    };
    const cases: [object, string][] = [
      [{ ...good, location: { lat: 91, lon: 21 } }, 'location.lat'],
      [{ ...good, occurredAt: 'last tuesday' }, 'occurredAt'],
      [{ ...good, target: { party: 'pl', kind: 'territory' } }, 'target.party'],
      [{ ...good, target: { party: 'PL', kind: 'embassy' } }, 'target.kind'],
      [{ ...good, nature: 'economic' }, 'nature'],
    ];
    for (const [payload, field] of cases) {
      const res = await post('/assessments', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    expect((await post('/assessments', good, false)).statusCode).toBe(401);
  });

  it('lists the members on a date', async () => {
    const res = await get('/members?on=2023-01-15');
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.count).toBe(30);
    expect(m.parties.map((p: { code: string }) => p.code)).not.toContain('FI');
    expect(m.partners.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['FI', 'SE', 'UA']));
    expect((await get('/members?on=2024-03-07')).json().count).toBe(32);
    const bad = await get('/members?on=soon');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('query.on');
  });

  it('serves the treaty-area layer as GeoJSON', async () => {
    const res = await get('/areas?winding=d3');
    expect(res.statusCode).toBe(200);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { id: string }) => f.id)).toContain('tropic-of-cancer');
  });

  it('checks deployment preconditions against council proposals', async () => {
    const base = { host: 'UA', date: '2025-01-10', purpose: 'crisis-response', formalRequest: true };
    const none = (await post('/deployment-checks', { ...base, formalRequest: false })).json();
    expect(none).toMatchObject({ permitted: false, missing: ['formal-request', 'council-decision'] });
    const unknown = (
      await post('/deployment-checks', { ...base, councilDecision: 'proposal--00000000-0000-4000-8000-000000000000' })
    ).json();
    expect(unknown.missing).toEqual(['council-decision']);
    expect(unknown.reasons.find((r: { rule: string }) => r.rule === 'council-decision').text).toMatch(/not found/);

    const proposal = await services.council.create(
      userOf('PL'),
      silenceInput(clock, { kind: 'deployment-mandate', host: 'UA', title: 'Mandate', text: 'Deploy to UA.' }),
    );
    const circulating = (await post('/deployment-checks', { ...base, councilDecision: proposal.id })).json();
    expect(circulating.missing).toEqual(['council-decision']);
    expect(circulating.reasons.find((r: { rule: string }) => r.rule === 'council-decision').text).toMatch(
      /circulating/,
    );

    clock.advance(120_000);
    expect(await services.council.settle(proposal.id)).toBe(true);
    const adopted = (await post('/deployment-checks', { ...base, councilDecision: proposal.id })).json();
    expect(adopted).toMatchObject({ permitted: true, missing: [], hostIsMember: false });

    const article5 = (
      await post('/deployment-checks', { host: 'PL', date: '2025-01-10', purpose: 'article-5', formalRequest: false })
    ).json();
    expect(article5.missing).toEqual(['council-decision']);
    const bad = await post('/deployment-checks', { ...base, purpose: 'conquest' });
    expect(bad.json().error.field).toBe('purpose');
  });
});
