import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import type { App } from '../../platform/http/app.ts';
import { createApp, createServices, type Services } from '../../main.ts';
import { testConfig } from '../../../test/config.ts';

describe('open sources REST API', () => {
  let services: Services;
  let app: App;
  const tokens: Record<string, string> = {};
  beforeEach(async () => {
    services = await createServices(testConfig(), {
      database: await openDatabase({ sqliteFile: ':memory:' }),
      log: silentLogger,
    });
    app = await createApp(services);
    for (const org of ['PL', 'LT'])
      tokens[org] = (await services.users.create({ member: org, name: `user-${org}` })).token;
  });
  afterEach(async () => {
    await app.close();
    await services.close();
  });

  const call = (org: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${tokens[org]}` },
      ...(payload ? { payload } : {}),
    });

  it('grades a document by its source, answers the contract shape, and hides it from others', async () => {
    const src = await call('PL', 'POST', '/sources', {
      name: 'Agency wire',
      kind: 'manual',
      reliability: 'B',
      tlp: 'amber',
    });
    expect(src.statusCode).toBe(201);
    const html =
      '<html><head><title>Geoană in Vilnius</title></head><body><article><p>' +
      'NATO Deputy Secretary General Mircea Geoană said that the North Atlantic Alliance was ready. '.repeat(4) +
      '</p><p>"There is no formal request," Geoana stressed in Vilnius.</p></article></body></html>';
    const res = await call('PL', 'POST', '/documents', {
      source: src.json<{ id: string }>().id,
      html,
      credibility: 2,
      tlp: 'amber',
      audience: ['PL'],
    });
    expect(res.statusCode).toBe(201);
    const doc = res.json<{
      id: string;
      language: string;
      entities: Array<{ id: string; name: string }>;
      claims: unknown[];
    }>();
    expect(doc.language).toBe('en');
    expect(doc.entities.map((e) => e.name)).toContain('Mircea Geoană');
    const list = await call('PL', 'GET', '/documents');
    expect(list.json()).toMatchObject({ items: [{ id: doc.id, grade: 'B2', title: 'Geoană in Vilnius' }], next: null });
    expect((await call('LT', 'GET', `/documents/${doc.id}`)).statusCode).toBe(404);
    const person = doc.entities.find((e) => e.name === 'Mircea Geoană')!;
    expect((await call('LT', 'GET', `/entities/${person.id}`)).statusCode).toBe(404);
    expect((await call('LT', 'GET', '/entities?q=geoana')).json()).toEqual({ items: [], next: null });
    expect((await call('PL', 'GET', '/entities?q=GEOANA')).json<{ items: unknown[] }>().items).toHaveLength(1);
    expect((await call('LT', 'GET', '/sources')).json()).toEqual({ items: [] });
    expect((await call('LT', 'DELETE', `/documents/${doc.id}`)).statusCode).toBe(404);
    expect((await call('PL', 'DELETE', `/documents/${doc.id}`)).statusCode).toBe(204);
    expect((await call('PL', 'GET', `/entities/${person.id}`)).statusCode).toBe(404);
  });

  it('links a document to the incidents it reports and the narratives it echoes, on both sides', async () => {
    const inc = await call('LT', 'POST', '/incidents', {
      title: 'Grain transit rumours',
      description: 'Disinformation about the Suwałki gap',
      category: 'disinformation',
      occurredAt: '2026-03-02T08:00:00Z',
      affectedMembers: ['LT'],
      narratives: ['NATO troops are secretly preparing to seize the Suwałki gap and block Lithuanian grain transit'],
      tlp: 'amber',
    });
    expect(inc.statusCode).toBe(201);
    const incident = inc.json<{ id: string }>().id;
    const doc = await call('PL', 'POST', '/documents', {
      text:
        'VILNIUS — A spokesman for the Russian Foreign Ministry claimed that NATO troops are secretly preparing to ' +
        'seize the Suwałki gap and block Lithuanian grain transit. Lithuania rejected the claim.',
      publishedAt: '2026-03-03T10:00:00Z',
      tlp: 'amber',
    });
    const id = doc.json<{ id: string }>().id;
    const links = (await call('PL', 'GET', `/documents/${id}/links`)).json<{
      echoes: Array<{ incident: string; narrative: string }>;
      reports: Array<{ incident: string }>;
    }>();
    expect(links.echoes.map((e) => e.incident)).toEqual([incident]);
    // The narrative's words, as the incident holds them (the index keeps only its fingerprint).
    expect(links.echoes.map((e) => e.narrative)).toEqual([
      'NATO troops are secretly preparing to seize the Suwałki gap and block Lithuanian grain transit',
    ]);
    expect(links.reports.map((r) => r.incident)).toEqual([incident]);
    const back = (await call('PL', 'GET', `/incidents/${incident}/documents`)).json<{
      items: Array<{ document: string; reasons: string[] }>;
    }>();
    expect(back.items.map((x) => x.document)).toEqual([id]);
    expect(back.items[0]!.reasons.join(' ')).toContain('echoes the narrative');
    // A red document of PL stays out of LT's view of the incident.
    const hidden = await call('PL', 'POST', '/documents', {
      text: 'NATO troops are secretly preparing to seize the Suwałki gap and block Lithuanian grain transit, a blogger said.',
      tlp: 'red',
    });
    expect(hidden.statusCode).toBe(201);
    const seen = (await call('LT', 'GET', `/incidents/${incident}/documents`)).json<{
      items: Array<{ document: string }>;
    }>();
    expect(seen.items.map((x) => x.document)).toEqual([id]);
    const own = (await call('PL', 'GET', `/incidents/${incident}/documents`)).json<{
      items: Array<{ document: string }>;
    }>();
    expect(own.items.map((x) => x.document).sort()).toEqual([hidden.json<{ id: string }>().id, id].sort());
  });

  it('links a claim to a signpost over HTTP, and rejects a review candidate, naming bad fields', async () => {
    const set = await call('LT', 'POST', '/outlook/scenario-sets', {
      title: 'Mobilisation',
      question: 'Will there be a new wave?',
      horizon: '2027-12-31',
      scenarios: [
        { key: 'yes', title: 'A new wave', prior: 0.5 },
        { key: 'no', title: 'No new wave', prior: 0.5 },
      ],
      tlp: 'amber',
    });
    expect(set.statusCode).toBe(201);
    const setId = set.json<{ id: string }>().id;
    const sp = await call('LT', 'POST', `/outlook/scenario-sets/${setId}/signposts`, {
      key: 'call-up',
      title: 'Reservists called up',
      likelihoods: { yes: 0.9, no: 0.2 },
    });
    expect(sp.statusCode).toBe(201);
    const doc = await call('PL', 'POST', '/documents', {
      text: 'Defence Minister Andrei Belousov said that the call-up would begin in March.',
      tlp: 'green',
    });
    const d = doc.json<{ id: string; claims: Array<{ start: number }> }>();
    const bad = await call('PL', 'POST', `/documents/${d.id}/signposts`, {
      claim: 'x',
      set: setId,
      signpost: 'call-up',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('claim');
    const ok = await call('PL', 'POST', `/documents/${d.id}/signposts`, {
      claim: d.claims[0]!.start,
      set: setId,
      signpost: 'call-up',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ set: setId, signpost: 'call-up', observed: true, by: 'PL' });
    expect((await call('LT', 'GET', `/documents/${d.id}/signposts`)).json<{ items: unknown[] }>().items).toHaveLength(
      1,
    );
    const proposals = await call('LT', 'GET', `/outlook/scenario-sets/${setId}/proposed-observations`);
    expect(proposals.json()).toMatchObject({ items: [{ origin: 'claim', question: d.id, status: 'proposed' }] });
    const reject = await call('PL', 'POST', '/entities/identity--nope/reject', { other: 'identity--other' });
    expect(reject.statusCode).toBe(404);
    const noOther = await call('PL', 'POST', '/entities/identity--nope/reject', {});
    expect(noOther.statusCode).toBe(400);
    expect(noOther.body).toContain('other');
  });

  it('answers 400 naming the field for bad input', async () => {
    const both = await call('PL', 'POST', '/documents', { text: 'a', html: '<p>a</p>', tlp: 'amber' });
    expect(both.statusCode).toBe(400);
    expect(both.body).toContain('text');
    const empty = await call('PL', 'POST', '/documents', { text: ' ', tlp: 'amber' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('text: is empty');
    const grade = await call('PL', 'POST', '/sources', { name: 'x', kind: 'manual', reliability: 'G', tlp: 'amber' });
    expect(grade.statusCode).toBe(400);
    expect(grade.body).toContain('reliability');
    const feed = await call('PL', 'POST', '/sources', { name: 'x', kind: 'feed', reliability: 'A', tlp: 'amber' });
    expect(feed.statusCode).toBe(400);
    expect(feed.body).toContain('url');
  });
});
