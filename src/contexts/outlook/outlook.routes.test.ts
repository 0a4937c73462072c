import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import type { App } from '../../platform/http/app.ts';
import { createApp, createServices, type Services } from '../../main.ts';
import { testConfig } from '../../../test/config.ts';
import { stixSchemaErrors } from '../../../test/stix-schema.ts';
import { ManualClock } from '../council/council.fixtures.ts';
import { IMPACTS, MOBILISATION, WAR_SET } from './outlook.fixtures.ts';
import { Model } from './bayes.ts';
import { OUTLOOK_EXTENSION_ID } from './outlook-stix.ts';
import { encodeCursor } from '../../platform/keyset.ts';

describe('outlook REST API', () => {
  let services: Services;
  let app: App;
  let clock: ManualClock;
  const tokens: Record<string, string> = {};
  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-06-01T08:00:00.000Z'));
    services = await createServices(testConfig(), {
      database: await openDatabase({ sqliteFile: ':memory:' }),
      log: silentLogger,
      clock,
      profile: 'one-shot',
    });
    await services.outlook.start();
    app = await createApp(services);
    for (const org of ['PL', 'LT', 'UA', 'FR'])
      tokens[org] = (await services.users.create({ member: org, name: `user-${org}` })).token;
    tokens.PLadmin = (await services.users.create({ member: 'PL', name: 'admin-PL', role: 'admin' })).token;
  });
  afterEach(async () => {
    await app.close();
    await services.close();
  });

  const call = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1/outlook${url}`,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload ? { payload } : {}),
    });
  const events = async (id: string) =>
    (
      await services.database.db
        .selectFrom('outbox')
        .select(['event', 'payload'])
        .where('object_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((r) => ({ event: r.event, payload: JSON.parse(r.payload) as Record<string, unknown> }));

  async function warSet(extra: object = {}) {
    const res = await call('PL', 'POST', '/scenario-sets', { ...WAR_SET, ...extra });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    expect((await call('PL', 'POST', `/scenario-sets/${id}/signposts`, MOBILISATION)).statusCode).toBe(201);
    return id;
  }

  it('moves probabilities by the rule, keeps the history, and announces posture changes', async () => {
    const id = await warSet();
    expect((await call('PL', 'PUT', `/scenario-sets/${id}/impacts`, IMPACTS)).statusCode).toBe(200);
    const before = (await call('LT', 'GET', `/scenario-sets/${id}/posture`)).json();
    expect(before.members.map((m: { member: string }) => m.member)).toEqual(['LT', 'PL']);
    expect(before.members[1].expectedThreat).toBeCloseTo(0.3 * 5 + 0.2 + 0.3 * 2 + 0.2 * 3, 9);
    expect(before.members[1].readiness).toBe('elevated');

    const obs = [];
    for (const [observed, confidence, day] of [
      [true, 1, '03'],
      [true, 0.9, '01'],
      [true, 0.8, '02'],
    ] as const) {
      const r = await call('PL', 'POST', `/scenario-sets/${id}/observations`, {
        signpost: 'mobilisation',
        observed,
        confidence,
        observedAt: `2026-05-${day}T00:00:00Z`,
        note: `day ${day}`,
      });
      expect(r.statusCode).toBe(201);
      obs.push(r.json());
    }
    const set = (await call('LT', 'GET', `/scenario-sets/${id}`)).json();
    const model = new Model(WAR_SET.scenarios, { mobilisation: MOBILISATION.likelihoods });
    const expected = model.posterior(
      obs.map((o) => ({ signpost: o.signpost, observed: o.observed, confidence: o.confidence })),
    );
    for (const s of set.scenarios) expect(Math.abs(s.probability - expected[s.key]!)).toBeLessThan(1e-9);
    expect(set.scenarios.reduce((a: number, s: { probability: number }) => a + s.probability, 0)).toBeCloseTo(1, 12);
    // history in observedAt order (day 01, 02, 03), one entry per observation, ending at the probabilities
    expect(set.history.map((h: { at: string }) => h.at.slice(0, 10))).toEqual([
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
    ]);
    expect(set.history[2].probabilities['aggressor-momentum']).toBeCloseTo(expected['aggressor-momentum']!, 12);
    expect(set.history[0].shifts['aggressor-momentum'].points).toBeGreaterThan(0);

    const after = (await call('LT', 'GET', `/scenario-sets/${id}/posture`)).json();
    expect(after.members[1].readiness).toBe('very-high');
    expect(after.members[1].drivers[0].scenario).toBe('aggressor-momentum');
    const ev = await events(id);
    expect(ev.map((e) => e.event)).toContain('posture.changed');
    // PL's readiness moves step by step, each event starting where the one before ended
    const pl = ev
      .filter((e) => e.event === 'posture.changed')
      .flatMap((e) => e.payload.changes as Array<{ member: string; from: string | null; to: string }>)
      .filter((c) => c.member === 'PL');
    expect(pl[0]).toEqual({ member: 'PL', from: null, to: 'elevated' });
    for (let i = 1; i < pl.length; i++) expect(pl[i]!.from).toBe(pl[i - 1]!.to);
    expect(pl[pl.length - 1]!.to).toBe('very-high');

    const sens = (await call('PL', 'GET', `/scenario-sets/${id}/sensitivity`)).json();
    expect(sens.leaders).toEqual(['aggressor-momentum']);
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const bad = async (url: string, body: object, field: string, status = 400, method: 'POST' | 'PUT' = 'POST') => {
      const r = await call('PL', method, url, body);
      expect(r.statusCode, JSON.stringify(r.json())).toBe(status);
      expect(r.json().error.field).toBe(field);
    };
    const scen = WAR_SET.scenarios;
    await bad('/scenario-sets', { ...WAR_SET, scenarios: scen.map((s) => ({ ...s, prior: 0.3 })) }, 'scenarios');
    await bad(
      '/scenario-sets',
      { ...WAR_SET, scenarios: [...scen.slice(0, 3), { ...scen[3]!, key: 'settlement' }] },
      'scenarios',
    );
    await bad('/scenario-sets', { ...WAR_SET, scenarios: [scen[0]] }, 'scenarios');
    await bad('/scenario-sets', { ...WAR_SET, audience: [] }, 'audience');
    expect((await call('PL', 'GET', '/scenario-sets')).json().items).toEqual([]);

    const id = await warSet();
    const sp = `/scenario-sets/${id}/signposts`;
    await bad(
      sp,
      { ...MOBILISATION, key: 'x2', likelihoods: { ...MOBILISATION.likelihoods, frozen: 1 } },
      'likelihoods.frozen',
    );
    await bad(
      sp,
      { ...MOBILISATION, key: 'x3', likelihoods: { ...MOBILISATION.likelihoods, frozen: 0 } },
      'likelihoods.frozen',
    );
    await bad(
      sp,
      { ...MOBILISATION, key: 'x4', likelihoods: { ...MOBILISATION.likelihoods, nope: 0.5 } },
      'likelihoods.nope',
    );
    await bad(sp, { ...MOBILISATION, key: 'x5', likelihoods: { settlement: 0.5 } }, 'likelihoods');
    await bad(sp, MOBILISATION, 'key', 409);
    const ob = `/scenario-sets/${id}/observations`;
    const o = { signpost: 'mobilisation', observed: true, observedAt: '2026-05-01T00:00:00Z' };
    await bad(ob, { ...o, signpost: 'nope' }, 'signpost');
    await bad(ob, { ...o, confidence: 0.4 }, 'confidence');
    await bad(ob, { ...o, evidence: ['incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'] }, 'evidence[0]');
    const imp = `/scenario-sets/${id}/impacts`;
    await bad(imp, { PL: { ...IMPACTS.PL, frozen: 6 } }, 'impacts.PL.frozen', 400, 'PUT');
    await bad(imp, { PL: { ...IMPACTS.PL, frozen: 2.5 } }, 'impacts.PL.frozen', 400, 'PUT');
    await bad(imp, { PL: { frozen: 2 } }, 'impacts', 400, 'PUT');
    await bad(imp, { UA: IMPACTS.PL }, 'impacts.UA', 400, 'PUT');
    await bad(imp, { PL: { ...IMPACTS.PL, nope: 2 } }, 'impacts.PL.nope', 400, 'PUT');
    const set = (await call('PL', 'GET', `/scenario-sets/${id}`)).json();
    expect(set.signposts.map((s: { key: string }) => s.key)).toEqual(['mobilisation']);
    expect(set.observations).toEqual([]);
    expect(set.impacts).toEqual({});
    // only the author organisation changes it; a reader that is not the author gets 403, a non-reader 404
    expect((await call('LT', 'POST', ob, o)).statusCode).toBe(403);
    expect((await call('UA', 'GET', `/scenario-sets/${id}`)).statusCode).toBe(404);
    expect((await call('UA', 'POST', ob, o)).statusCode).toBe(404);
  });

  it('lists with limit, cursor and next', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      ids.push(await warSet({ title: `set ${i}` }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call('LT', 'GET', `/scenario-sets?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json<{ items: Array<{ id: string }>; next: string | null }>();
      seen.push(...body.items.map((x) => x.id));
      cursor = body.next;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await call('LT', 'GET', '/scenario-sets?cursor=bogus')).statusCode).toBe(400);
  });

  it('refuses a malformed or foreign cursor with a 400 naming it (the shared keyset codec)', async () => {
    const setId = await warSet();
    const first = (await call('LT', 'GET', '/scenario-sets?limit=1')).json<{ next: string | null }>();
    expect(first.next).toBeNull();
    const stamp = '2026-06-01T08:00:00.000Z';
    const cursors = [
      'bogus',
      '%%%',
      encodeCursor(stamp, 'bulwark-support--00000000-0000-4000-8000-000000000000'), // the support register's
      encodeCursor('not a time', setId),
      Buffer.from(`${stamp}|${setId}`).toString('base64url'), // the outlook's former private format
    ];
    for (const list of ['/scenario-sets', '/questions', '/ach'])
      for (const c of cursors) {
        const res = await call('LT', 'GET', `${list}?cursor=${encodeURIComponent(c)}`);
        expect(res.statusCode, `${list} ${c}`).toBe(400);
        expect(res.json<{ error: { field: string } }>().error.field, `${list} ${c}`).toBe('query.cursor');
      }
    // a question's cursor is foreign to the sets list, and the other way round
    const question = encodeCursor(stamp, 'bulwark-forecast-question--00000000-0000-4000-8000-000000000000');
    expect((await call('LT', 'GET', `/scenario-sets?cursor=${question}`)).statusCode).toBe(400);
    expect((await call('LT', 'GET', `/questions?cursor=${encodeCursor(stamp, setId)}`)).statusCode).toBe(400);
    // a well-formed cursor of the list itself pages on
    const own = await call('LT', 'GET', `/scenario-sets?cursor=${encodeCursor('2026-06-01T08:00:00.001Z', setId)}`);
    expect(own.statusCode).toBe(200);
    expect(own.json<{ items: Array<{ id: string }> }>().items.map((x) => x.id)).toEqual([setId]);
  });

  it('runs a forecast question to its scores; crowd hidden until one has forecast', async () => {
    const created = await call('PL', 'POST', '/questions', {
      title: 'Will a ceasefire hold for 30 days before 2027?',
      resolutionCriteria: 'A ceasefire announced by both parties and observed for 30 days.',
      closesAt: '2026-06-10T00:00:00Z',
      tlp: 'green',
    });
    expect(created.statusCode).toBe(201);
    const q = created.json();
    expect(q.options).toEqual(['yes', 'no']);
    const fc = (who: string, yes: number) =>
      call(who, 'POST', `/questions/${q.id}/forecasts`, {
        probabilities: { yes, no: Math.round((1 - yes) * 1000) / 1000 },
        rationale: 'Talks stalled.',
      });
    expect(
      (
        await call('PL', 'POST', `/questions/${q.id}/forecasts`, {
          probabilities: { yes: 0.5, no: 0.4 },
          rationale: 'x',
        })
      ).json().error.field,
    ).toBe('probabilities');
    expect(
      (
        await call('PL', 'POST', `/questions/${q.id}/forecasts`, {
          probabilities: { yes: 0.5, no: 0.5 },
          rationale: '',
        })
      ).json().error.field,
    ).toBe('rationale');
    expect(
      (
        await call('PL', 'POST', `/questions/${q.id}/forecasts`, {
          probabilities: { yes: 0.5, maybe: 0.5 },
          rationale: 'x',
        })
      ).json().error.field,
    ).toBe('probabilities.maybe');
    expect((await fc('PL', 0.2)).statusCode).toBe(201);
    expect((await fc('PL', 0.3)).json().crowd).toEqual({ yes: 0.3, no: 0.7 });
    expect((await call('LT', 'GET', `/questions/${q.id}`)).json()).toMatchObject({ crowd: null, forecasters: 1 });
    const lt = (await fc('LT', 0.6)).json();
    expect(lt.crowd.yes).toBeCloseTo(0.45, 12);
    expect((await fc('UA', 0.9)).statusCode).toBe(201);
    clock.t = Date.parse('2026-06-10T00:00:00Z');
    const late = await fc('FR', 0.5);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.field).toBe('closesAt');
    expect((await call('FR', 'GET', `/questions/${q.id}`)).json().crowd.yes).toBeCloseTo(0.6, 12);
    expect((await call('PL', 'POST', `/questions/${q.id}/resolution`, { outcome: 'no' })).statusCode).toBe(403);
    expect(
      (await call('PLadmin', 'POST', `/questions/${q.id}/resolution`, { outcome: 'maybe' })).json().error.field,
    ).toBe('outcome');
    const resolved = (await call('PLadmin', 'POST', `/questions/${q.id}/resolution`, { outcome: 'no' })).json();
    expect(resolved.status).toBe('resolved');
    const pl = resolved.scores.find((s: { user: string }) => s.user === 'user-PL');
    expect(pl.brier).toBeCloseTo(2 * 0.3 * 0.3, 12);
    expect(pl.log).toBeCloseTo(Math.log(0.7), 12);
    expect((await call('PLadmin', 'POST', `/questions/${q.id}/resolution`, { outcome: 'yes' })).statusCode).toBe(409);
    const scores = (await call('PL', 'GET', '/scores')).json();
    expect(scores.items).toHaveLength(1);
    expect(scores.items[0]).toMatchObject({ user: 'user-PL', member: 'PL', questions: 1 });
    expect(scores.items[0].meanBrier).toBeCloseTo(0.18, 12);
    expect(scores.items[0].calibration[3]).toEqual({ from: 0.3, to: 0.4, forecasts: 1, observed: 0 });
  });

  it('ranks hypotheses in an ACH matrix', async () => {
    const a = (
      await call('PL', 'POST', '/ach', {
        title: 'Who cut the Baltic cable?',
        hypotheses: [
          { key: 'anchor-accident', title: 'Accident' },
          { key: 'state-sabotage', title: 'State sabotage' },
          { key: 'criminal', title: 'Criminal act' },
        ],
        tlp: 'amber',
      })
    ).json();
    const ev = (key: string, ratings: object, credibility = 'high') =>
      call('PL', 'POST', `/ach/${a.id}/evidence`, { key, title: key, credibility, relevance: 'medium', ratings });
    expect((await ev('drag', { 'anchor-accident': 'C', 'state-sabotage': 'I', criminal: 'II' })).statusCode).toBe(201);
    const r = (
      await ev('ais-off', { 'anchor-accident': 'II', 'state-sabotage': 'CC', criminal: 'N' }, 'medium')
    ).json();
    expect(r.hypotheses.map((h: { rank: number }) => h.rank)).toEqual([2, 1, 3]);
    expect(r.hypotheses[1].inconsistency).toBeCloseTo(-Math.SQRT2, 12);
    expect(r.evidence.every((e: { diagnostic: boolean }) => e.diagnostic)).toBe(true);
    expect((await ev('x', { 'anchor-accident': 'C' })).json().error.field).toBe('ratings');
    expect(
      (await ev('y', { 'anchor-accident': 'C', 'state-sabotage': 'C', criminal: 'C', nope: 'C' })).json().error.field,
    ).toBe('ratings.nope');
    expect((await call('LT', 'GET', `/ach/${a.id}`)).json().decisive).toEqual(r.decisive);
    expect((await call('UA', 'GET', `/ach/${a.id}`)).statusCode).toBe(404);
  });

  it('exports sets, signposts, observations, questions and ACH as STIX 2.1 valid against the OASIS schemas', async () => {
    const id = await warSet();
    await call('PL', 'PUT', `/scenario-sets/${id}/impacts`, IMPACTS);
    const made = await call('PL', 'POST', `/scenario-sets/${id}/observations`, {
      signpost: 'mobilisation',
      observed: false,
      confidence: 0.7,
      observedAt: '2026-05-01T10:00:00.5Z',
    });
    expect(made.statusCode, made.body).toBe(201);
    await call('PL', 'POST', '/questions', {
      title: 'q',
      resolutionCriteria: 'c',
      closesAt: '2027-01-01T00:00:00Z',
      tlp: 'amber',
      signpost: { set: id, key: 'mobilisation' },
    });
    await call('PL', 'POST', '/ach', {
      title: 'a',
      hypotheses: [
        { key: 'h1', title: 'one' },
        { key: 'h2', title: 'two' },
      ],
      tlp: 'red',
    });
    const res = await app.inject({
      method: 'GET',
      url: '/taxii2/alliance/collections/alliance/objects/?limit=100',
      headers: { authorization: `Bearer ${tokens.PL}`, accept: 'application/taxii+json;version=2.1' },
    });
    expect(res.statusCode).toBe(200);
    const objects = res.json<{ objects: Array<Record<string, unknown>> }>().objects;
    const types = objects.map((o) => String(o.type));
    for (const t of [
      'bulwark-scenario-set',
      'bulwark-signpost',
      'bulwark-scenario-observation',
      'bulwark-forecast-question',
      'bulwark-ach-matrix',
      'extension-definition',
    ])
      expect(types).toContain(t);
    for (const o of objects) expect(stixSchemaErrors(o)).toEqual([]);
    const set = objects.filter((o) => o.id === id).pop()!;
    expect(set.impacts).toEqual(IMPACTS);
    expect((set.extensions as Record<string, unknown>)[OUTLOOK_EXTENSION_ID]).toEqual({ extension_type: 'new-sdo' });
    // LT (a member) sees the AMBER set but not PL's RED matrix
    const lt = await app.inject({
      method: 'GET',
      url: '/taxii2/alliance/collections/alliance/objects/?limit=100',
      headers: { authorization: `Bearer ${tokens.LT}`, accept: 'application/taxii+json;version=2.1' },
    });
    const ltTypes = lt.json<{ objects: Array<{ type: string }> }>().objects.map((o) => o.type);
    expect(ltTypes).toContain('bulwark-scenario-set');
    expect(ltTypes).not.toContain('bulwark-ach-matrix');
  });

  it('documents every outlook route in the generated OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    for (const p of [
      '/api/v1/outlook/scenario-sets',
      '/api/v1/outlook/scenario-sets/{id}',
      '/api/v1/outlook/scenario-sets/{id}/signposts',
      '/api/v1/outlook/scenario-sets/{id}/observations',
      '/api/v1/outlook/scenario-sets/{id}/impacts',
      '/api/v1/outlook/scenario-sets/{id}/posture',
      '/api/v1/outlook/scenario-sets/{id}/sensitivity',
      '/api/v1/outlook/questions/{id}/forecasts',
      '/api/v1/outlook/questions/{id}/resolution',
      '/api/v1/outlook/scores',
      '/api/v1/outlook/ach/{id}/evidence/{key}',
    ])
      expect(paths).toContain(p);
  });
});
