import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import type { App } from '../../platform/http/app.ts';
import { createApp, createServices, type Services } from '../../main.ts';
import { testConfig } from '../../../test/config.ts';

type Items = { items: Array<{ id: string }> };

describe('council REST API', () => {
  let services: Services;
  let app: App;
  const tokens: Record<string, string> = {};
  beforeEach(async () => {
    services = await createServices(testConfig(), {
      database: await openDatabase({ sqliteFile: ':memory:' }),
      log: silentLogger,
    });
    app = await createApp(services);
    for (const org of ['PL', 'FR', 'TR', 'UA', 'LT'])
      tokens[org] = (await services.users.create({ member: org, name: `user-${org}` })).token;
  });
  afterEach(async () => {
    await app.close();
    await services.close();
  });

  const call = (org: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1/council${url}`,
      headers: { authorization: `Bearer ${tokens[org]}` },
      ...(payload ? { payload } : {}),
    });
  const soon = () => new Date(Date.now() + 2 * 3_600_000).toISOString();

  it('creates, lists and shows a silence procedure; positions are taken for the own member only', async () => {
    const created = await call('PL', 'POST', '/proposals', {
      title: 'Drones over Poland',
      kind: 'article-4-consultation',
      text: 'Poland requests consultations under Article 4.',
      procedure: 'silence',
      silenceEndsAt: soon(),
    });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({
      status: 'circulating',
      kind: 'article-4-consultation',
      references: [],
      membersConcerned: 32,
      decidedAt: null,
      host: null,
      positions: [],
    });

    const res = await call('TR', 'POST', `/proposals/${p.id}/positions`, {
      position: 'reservation',
      statement: 'Türkiye notes paragraph 2.',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().positions).toEqual([
      {
        member: 'TR',
        position: 'reservation',
        statement: 'Türkiye notes paragraph 2.',
        at: expect.any(String),
        by: 'user-TR',
      },
    ]);
    expect(
      (await call('FR', 'POST', `/proposals/${p.id}/positions`, { position: 'concur', member: 'TR' })).statusCode,
    ).toBe(400);

    const list = await call('FR', 'GET', '/proposals?status=circulating&kind=article-4-consultation');
    expect(list.json<Items>().items.map((x) => x.id)).toEqual([p.id]);
    expect((await call('FR', 'GET', '/proposals?status=adopted')).json().items).toEqual([]);
    expect((await call('FR', 'GET', '/proposals?status=nonsense')).json().error.field).toBe('query.status');

    const broken = await call('FR', 'POST', `/proposals/${p.id}/positions`, {
      position: 'break-silence',
      statement: 'France objects.',
    });
    expect(broken.json()).toMatchObject({ status: 'silence-broken', decidedAt: expect.any(String) });
    const again = await call('LT', 'POST', `/proposals/${p.id}/positions`, { position: 'concur' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already silence-broken.*never changes/);
    const shown = (await call('LT', 'GET', `/proposals/${p.id}`)).json<{ positions: Array<{ member: string }> }>();
    expect(shown.positions.map((x) => x.member)).toEqual(['FR', 'TR']);
  });

  it('400 for a silence procedure without a future deadline, naming the field', async () => {
    const base = { title: 't', kind: 'public-statement', text: 'x', procedure: 'silence' };
    const missing = await call('PL', 'POST', '/proposals', base);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('silenceEndsAt');
    const past = await call('PL', 'POST', '/proposals', { ...base, silenceEndsAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.field).toBe('silenceEndsAt');
    const badKind = await call('PL', 'POST', '/proposals', { ...base, kind: 'vote', silenceEndsAt: soon() });
    expect(badKind.json().error.field).toBe('kind');
    const noHost = await call('PL', 'POST', '/proposals', {
      ...base,
      kind: 'deployment-mandate',
      silenceEndsAt: soon(),
    });
    expect(noHost.json().error.field).toBe('host');
  });

  it('partners: 403 on taking a position, 404 on what is not released to them', async () => {
    const amber = (
      await call('PL', 'POST', '/proposals', { title: 'a', kind: 'support-package', text: 'x', procedure: 'meeting' })
    ).json();
    const green = (
      await call('PL', 'POST', '/proposals', {
        title: 'g',
        kind: 'support-package',
        text: 'x',
        procedure: 'meeting',
        tlp: 'green',
      })
    ).json();
    expect((await call('UA', 'GET', `/proposals/${amber.id}`)).statusCode).toBe(404);
    expect((await call('UA', 'GET', `/proposals/${green.id}`)).statusCode).toBe(200);
    expect((await call('UA', 'GET', '/proposals')).json<Items>().items.map((x) => x.id)).toEqual([green.id]);
    const pos = await call('UA', 'POST', `/proposals/${green.id}/positions`, { position: 'concur' });
    expect(pos.statusCode).toBe(403);
    expect(
      (await call('UA', 'POST', '/proposals', { title: 'u', kind: 'support-package', text: 'x', procedure: 'meeting' }))
        .statusCode,
    ).toBe(403);
    expect((await call('PL', 'GET', '/proposals/proposal--nope')).statusCode).toBe(404);
  });

  it('meeting: close without consensus is 409; revise supersedes; withdraw by the author', async () => {
    const m = (
      await call('PL', 'POST', '/proposals', {
        title: 'Mandate',
        kind: 'deployment-mandate',
        host: 'LT',
        text: 'Deploy to Lithuania.',
        procedure: 'meeting',
      })
    ).json();
    expect(m.host).toBe('LT');
    const close = await call('PL', 'POST', `/proposals/${m.id}/close`);
    expect(close.statusCode).toBe(409);
    expect(close.json().error.message).toMatch(/no consensus: 32 member/);
    expect((await call('FR', 'POST', `/proposals/${m.id}/close`)).statusCode).toBe(403);
    const rev = await call('PL', 'POST', `/proposals/${m.id}/revise`, { text: 'Deploy two battalions to Lithuania.' });
    expect(rev.statusCode).toBe(201);
    expect(rev.json()).toMatchObject({ supersedes: m.id, status: 'circulating', host: 'LT' });
    expect((await call('PL', 'GET', `/proposals/${m.id}`)).json()).toMatchObject({
      status: 'superseded',
      supersededBy: rev.json().id,
    });
    expect((await call('FR', 'POST', `/proposals/${rev.json().id}/withdraw`)).statusCode).toBe(403);
    expect((await call('PL', 'POST', `/proposals/${rev.json().id}/withdraw`)).json().status).toBe('withdrawn');
    expect(await services.audit.verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('a proposal nobody else may see is refused: tlp narrower than amber, any audience, a short silence (400 naming the field)', async () => {
    const base = {
      title: 'Deploy to Ukraine',
      kind: 'deployment-mandate',
      host: 'UA',
      text: 'Deploy.',
      procedure: 'silence',
      silenceEndsAt: soon(),
    };
    for (const [over, field] of [
      [{ tlp: 'red' }, 'tlp'],
      [{ tlp: 'amber+strict' }, 'tlp'],
      [{ audience: ['LT'] }, 'audience'],
      [{ audience: [] }, 'audience'],
      [{ silenceEndsAt: new Date(Date.now() + 600_000).toISOString() }, 'silenceEndsAt'],
    ] as const) {
      const r = await call('PL', 'POST', '/proposals', { ...base, ...over });
      expect(r.statusCode, JSON.stringify(over)).toBe(400);
      expect(r.json().error.field).toBe(field);
    }
    expect((await call('PL', 'GET', '/proposals')).json<Items>().items).toEqual([]);
    const ok = await call('PL', 'POST', '/proposals', { ...base, tlp: 'green' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ tlp: 'green', audience: [] });
    expect(
      (await call('PL', 'POST', '/proposals', { ...base, procedure: 'meeting', silenceEndsAt: undefined })).json(),
    ).toMatchObject({ tlp: 'amber' });
  });

  it('an object posted through TAXII with a proposal id is no council decision', async () => {
    const id = 'proposal--3b9a1f6e-6a7e-4f0e-9a51-0f3f3c1d2e4a';
    const forged = {
      type: 'x-proposal',
      spec_version: '2.1',
      id,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      kind: 'deployment-mandate',
      status: 'adopted',
      host: 'UA',
    };
    await app.inject({
      method: 'POST',
      url: '/taxii2/alliance/collections/alliance/objects/',
      headers: {
        authorization: `Bearer ${tokens.PL}`,
        accept: 'application/taxii+json;version=2.1',
        'content-type': 'application/taxii+json;version=2.1',
      },
      payload: { objects: [forged, { ...forged, type: 'proposal' }] },
    });
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/treaty/deployment-checks',
      headers: { authorization: `Bearer ${tokens.PL}` },
      payload: { host: 'UA', date: '2025-06-01', purpose: 'crisis-response', formalRequest: true, councilDecision: id },
    });
    expect(r.json()).toMatchObject({ permitted: false, missing: ['council-decision'] });
  });

  it('free-form JSON nested beyond the bound is a 400 naming the field, not a 500', async () => {
    const body = { title: 't', kind: 'article-5-determination', text: 'x', procedure: 'meeting' };
    const deep = `${JSON.stringify(body).slice(0, -1)},"assessment":${'{"a":'.repeat(8000)}{}${'}'.repeat(8000)}}`;
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/council/proposals',
      headers: { authorization: `Bearer ${tokens.PL}`, 'content-type': 'application/json' },
      payload: deep,
    });
    expect(r.statusCode).toBe(400);
    // The body parser's depth bound answers first, with the path into the field.
    expect(r.json().error.field).toMatch(/^assessment(\.|$)/);
    let ok: unknown = { article5: 'covered' };
    for (let i = 0; i < 30; i++) ok = { a: ok };
    expect((await call('PL', 'POST', '/proposals', { ...body, assessment: ok })).statusCode).toBe(201);
  });

  it('references: each must be readable by the writer (400 alike for hidden and missing); readers see only what they may read', async () => {
    const incident = async (org: string, tlp: string) => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { authorization: `Bearer ${tokens[org]}` },
        payload: {
          title: `by ${org}`,
          description: 'd',
          category: 'cyber',
          occurredAt: '2026-01-05T00:00:00Z',
          affectedMembers: [org],
          tlp,
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const ltRed = await incident('LT', 'red');
    const ltAmber = await incident('LT', 'amber');
    const missing = 'incident--00000000-0000-4000-8000-000000000000';
    const base = { title: 'Consult', kind: 'article-4-consultation', text: 'x', procedure: 'meeting' };
    const hidden = await call('PL', 'POST', '/proposals', { ...base, references: [ltAmber, ltRed] });
    const unknown = await call('PL', 'POST', '/proposals', { ...base, references: [ltAmber, missing] });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().error.field).toBe('references');
    expect(unknown.statusCode).toBe(400);
    expect(hidden.body.split(ltRed).join('<id>')).toBe(unknown.body.split(missing).join('<id>'));
    expect((await call('PL', 'GET', '/proposals')).json<Items>().items).toEqual([]);

    const own = (await call('LT', 'POST', '/proposals', { ...base, references: [ltRed, ltAmber] })).json();
    expect(own.references).toEqual([ltRed, ltAmber]);
    const refsOf = async (org: string) => ({
      get: (await call(org, 'GET', `/proposals/${own.id}`)).json().references,
      list: (await call(org, 'GET', '/proposals'))
        .json<{ items: Array<{ id: string; references: string[] }> }>()
        .items.find((x) => x.id === own.id)?.references,
    });
    expect(await refsOf('LT')).toEqual({ get: [ltRed, ltAmber], list: [ltRed, ltAmber] });
    expect(await refsOf('PL')).toEqual({ get: [ltAmber], list: [ltAmber] });
    expect(
      (await call('PL', 'POST', `/proposals/${own.id}/positions`, { position: 'concur' })).json().references,
    ).toEqual([ltAmber]);
    // A reference narrowed after the proposal was written disappears for those who lost it.
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/v1/incidents/${ltAmber}`,
          headers: { authorization: `Bearer ${tokens.LT}` },
          payload: { tlp: 'red' },
        })
      ).statusCode,
    ).toBe(200);
    expect(await refsOf('PL')).toEqual({ get: [], list: [] });
    // A proposal reference obeys the same rule, and a revision keeps only what its writer may still read.
    const next = await call('PL', 'POST', '/proposals', { ...base, references: [own.id] });
    expect(next.json().references).toEqual([own.id]);
  });

  it('requires a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/council/proposals' })).statusCode).toBe(401);
  });
});
