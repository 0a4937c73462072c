import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { stixSchemaErrors } from '../../../test/stix-schema.ts';
import { EVENT_EXTENSION_ID, NEED_EXTENSION_ID, SUPPORT_EXTENSION_ID } from './registers.stix.ts';

const TAXII = 'application/taxii+json;version=2.1';
const COLL = '/taxii2/alliance/collections/alliance';

const entry = (extra: Record<string, unknown> = {}) => ({
  recipient: 'UA',
  avenue: 'financial',
  description: 'Budget support',
  amount: { value: 1_000_000.5, currency: 'EUR' },
  pledgedAt: '2025-02-01',
  status: 'pledged',
  source: 'https://example.org/pledge',
  sourceGrade: 'B2',
  tlp: 'green',
  ...extra,
});

const need = (extra: Record<string, unknown> = {}) => ({
  area: 'UA-14',
  sector: 'food',
  peopleInNeed: 1_200_000,
  peopleReached: 300_000,
  fundingRequired: { value: 5_000_000, currency: 'USD' },
  fundingReceived: { value: 1_000_000, currency: 'USD' },
  asOf: '2025-03-01',
  source: 'https://example.org/hno',
  tlp: 'green',
  ...extra,
});

for (const db of testDatabases) {
  describe(`registers over REST and TAXII (${db.name})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    async function start() {
      server = await testServer({ db });
      const tokens: Record<string, string> = {};
      for (const org of ['PL', 'DE', 'UA', 'LT']) tokens[org] = await server.token(org);
      const call = (org: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
        server!.app.inject({
          method,
          url: url.startsWith('/taxii2') ? url : `/api/v1${url}`,
          headers: {
            authorization: `Bearer ${tokens[org]}`,
            accept: url.startsWith('/taxii2') ? TAXII : 'application/json',
            ...(payload && url.startsWith('/taxii2') ? { 'content-type': TAXII } : {}),
          },
          ...(payload ? { payload } : {}),
        });
      return { s: server, call };
    }

    it('support entries: create, move forward with history, refuse going back (409), summary per reader', async () => {
      const { call } = await start();
      const made = await call('PL', 'POST', '/support', entry());
      expect(made.statusCode, made.body).toBe(201);
      const e = made.json();
      expect(e).toMatchObject({ provider: 'PL', recipient: 'UA', status: 'pledged', amount: { value: 1_000_000.5 } });
      expect(e.id).toMatch(/^bulwark-support--/);

      const alloc = await call('PL', 'PATCH', `/support/${e.id}`, { status: 'allocated', at: '2025-03-01' });
      expect(alloc.statusCode, alloc.body).toBe(200);
      expect(alloc.json().history.map((h: { status: string }) => h.status)).toEqual(['pledged', 'allocated']);
      for (const status of ['pledged', 'allocated']) {
        const back = await call('PL', 'PATCH', `/support/${e.id}`, { status, at: '2025-04-01' });
        expect(back.statusCode).toBe(409);
        expect(back.json().error.field).toBe('status');
      }
      expect(
        (await call('DE', 'PATCH', `/support/${e.id}`, { status: 'delivered', at: '2025-04-01' })).statusCode,
      ).toBe(403);
      const early = await call('PL', 'PATCH', `/support/${e.id}`, { status: 'delivered', at: '2025-01-01' });
      expect(early.statusCode).toBe(400);
      expect(early.json().error.field).toBe('at');
      expect(
        (await call('PL', 'PATCH', `/support/${e.id}`, { status: 'cancelled', at: '2025-05-01' })).statusCode,
      ).toBe(200);
      const after = await call('PL', 'PATCH', `/support/${e.id}`, { status: 'delivered', at: '2025-06-01' });
      expect(after.statusCode).toBe(409);
      expect((await call('PL', 'GET', `/support/${e.id}`)).json().history).toHaveLength(3);

      await call('PL', 'POST', '/support', entry({ avenue: 'training', amount: { value: 10, currency: 'USD' } }));
      await call('DE', 'POST', '/support', entry({ tlp: 'red', amount: { value: 7, currency: 'EUR' } }));
      const mine = (await call('DE', 'GET', '/support/summary?recipient=UA')).json();
      expect(mine.byProvider).toEqual([
        { provider: 'DE', entries: 1, amounts: [{ currency: 'EUR', pledged: 7, allocated: 0, delivered: 0 }] },
        { provider: 'PL', entries: 2, amounts: [{ currency: 'USD', pledged: 10, allocated: 0, delivered: 0 }] },
      ]);
      const pl = (await call('PL', 'GET', '/support/summary')).json();
      expect(pl.byProvider.map((p: { provider: string }) => p.provider)).toEqual(['PL']);
      expect(pl.byAvenue).toEqual([
        { avenue: 'financial', entries: 1, amounts: [] },
        { avenue: 'training', entries: 1, amounts: [{ currency: 'USD', pledged: 10, allocated: 0, delivered: 0 }] },
      ]);
    });

    it('refuses bad input with a 4xx naming the field, and stores nothing', async () => {
      const { call } = await start();
      const cases: Array<[string, string, object, string]> = [
        ['POST', '/support', entry({ avenue: 'tanks' }), 'avenue'],
        ['POST', '/support', entry({ amount: { value: 1, currency: 'XYZ' } }), 'amount.currency'],
        ['POST', '/support', entry({ amount: { value: -1, currency: 'EUR' } }), 'amount.value'],
        ['POST', '/support', entry({ amount: { value: 1.234, currency: 'EUR' } }), 'amount.value'],
        ['POST', '/support', entry({ recipient: 'PL' }), 'recipient'],
        ['POST', '/support', entry({ recipient: 'QQ' }), 'recipient'],
        ['POST', '/support', entry({ audience: [] }), 'audience'],
        ['POST', '/support', entry({ source: 'javascript:alert(1)' }), 'source'],
        ['POST', '/humanitarian/needs', need({ sector: 'tanks' }), 'sector'],
        ['POST', '/humanitarian/needs', need({ area: 'UA-99' }), 'area'],
        ['POST', '/humanitarian/needs', need({ peopleInNeed: -5 }), 'peopleInNeed'],
        ['POST', '/humanitarian/needs', need({ peopleReached: -1 }), 'peopleReached'],
        [
          'POST',
          '/humanitarian/needs',
          need({ fundingRequired: { value: 1, currency: 'EURO' } }),
          'fundingRequired.currency',
        ],
        [
          'POST',
          '/diplomacy/events',
          {
            title: 'x',
            kind: 'war',
            startedAt: '2025-01-01',
            parties: ['A'],
            status: 'ongoing',
            summary: 's',
            sources: ['https://a.example'],
            tlp: 'clear',
          },
          'kind',
        ],
        [
          'POST',
          '/diplomacy/events',
          {
            title: 'x',
            kind: 'talks',
            startedAt: '2025-01-02',
            endedAt: '2025-01-01',
            parties: ['A'],
            status: 'ongoing',
            summary: 's',
            sources: ['https://a.example'],
            tlp: 'clear',
          },
          'endedAt',
        ],
        ['GET', '/diplomacy/events?from=2025-02-01&to=2025-01-01', {}, 'query.to'],
        ['GET', '/support?avenue=tanks', {}, 'query.avenue'],
        ['GET', '/support?cursor=nonsense', {}, 'query.cursor'],
      ];
      for (const [method, url, body, field] of cases) {
        const r = await call('PL', method as 'GET' | 'POST', url, method === 'POST' ? body : undefined);
        expect(r.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
        expect(r.json().error.field, `${url} ${JSON.stringify(body)}`).toBe(field);
      }
      expect((await call('PL', 'GET', '/support')).json()).toEqual({ items: [], next: null });
      expect((await call('PL', 'GET', '/humanitarian/needs')).json()).toEqual({ items: [], next: null });
      const missing = await call('PL', 'PATCH', '/support/bulwark-support--00000000-0000-4000-8000-000000000000', {
        status: 'delivered',
        at: '2025-01-01',
      });
      expect(missing.statusCode).toBe(404);
    });

    it('lists page with limit, cursor and next; hidden entries are 404 and absent', async () => {
      const { call } = await start();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push((await call('PL', 'POST', '/support', entry({ pledgedAt: `2025-01-0${i + 1}` }))).json().id);
      const red = (await call('PL', 'POST', '/support', entry({ tlp: 'red' }))).json().id as string;
      const seen: string[] = [];
      let url = '/support?limit=2';
      for (;;) {
        const page = (await call('DE', 'GET', url)).json<{ items: Array<{ id: string }>; next: string | null }>();
        seen.push(...page.items.map((x) => x.id));
        if (!page.next) break;
        url = `/support?limit=2&cursor=${page.next}`;
      }
      expect(seen).toEqual([...ids].reverse());
      expect((await call('DE', 'GET', `/support/${red}`)).statusCode).toBe(404);
      expect((await call('PL', 'GET', `/support/${red}`)).statusCode).toBe(200);
      expect((await call('DE', 'GET', `${COLL}/objects/${red}/`)).statusCode).toBe(404);
    });

    it('the diplomatic record is seeded at TLP:CLEAR with dates and sources, and a partner may add events', async () => {
      const { call } = await start();
      const all = (await call('UA', 'GET', '/diplomacy/events?limit=500')).json().items as Array<
        Record<string, unknown>
      >;
      const byTitle = new Map(all.map((e) => [e.title as string, e]));
      expect(byTitle.get('Minsk Protocol')).toMatchObject({
        startedAt: '2014-09-05T00:00:00.000Z',
        tlp: 'clear',
        author: '--',
      });
      expect(byTitle.get('Black Sea Grain Initiative')).toMatchObject({
        startedAt: '2022-07-22T00:00:00.000Z',
        endedAt: '2023-07-17T00:00:00.000Z',
        sources: ['https://en.wikipedia.org/wiki/Black_Sea_Grain_Initiative'],
      });
      expect(all.every((e) => (e.sources as string[]).length > 0)).toBe(true);
      const in2022 = (await call('UA', 'GET', '/diplomacy/events?from=2022-01-01&to=2022-12-31')).json()
        .items as Array<{
        title: string;
      }>;
      expect(in2022.map((e) => e.title)).toEqual([
        'Package of Measures for the Implementation of the Minsk Agreements (Minsk II)',
        'Istanbul talks between Russia and Ukraine',
        'Black Sea Grain Initiative',
      ]);
      const made = await call('UA', 'POST', '/diplomacy/events', {
        title: 'Talks on a prisoner exchange',
        kind: 'talks',
        startedAt: '2026-01-10',
        parties: ['Ukraine', 'Russia', 'United Arab Emirates'],
        status: 'ongoing',
        summary: 'Mediated talks.',
        sources: ['https://example.org/talks'],
        tlp: 'amber',
        audience: ['PL'],
      });
      expect(made.statusCode, made.body).toBe(201);
      expect((await call('PL', 'GET', `/diplomacy/events/${made.json().id}`)).statusCode).toBe(200);
      expect((await call('DE', 'GET', `/diplomacy/events/${made.json().id}`)).statusCode).toBe(404);
    });

    it('humanitarian summary keeps the latest per area and sector and gives the gap to support', async () => {
      const { call } = await start();
      await call('PL', 'POST', '/humanitarian/needs', need({ asOf: '2025-01-01', peopleInNeed: 1 }));
      const latest = (await call('PL', 'POST', '/humanitarian/needs', need())).json();
      await call('DE', 'POST', '/humanitarian/needs', need({ asOf: '2025-06-01', tlp: 'red' }));
      await call(
        'PL',
        'POST',
        '/support',
        entry({ avenue: 'humanitarian', amount: { value: 500_000, currency: 'USD' } }),
      );
      const s = (await call('PL', 'GET', '/humanitarian/summary')).json();
      expect(s.items.map((n: { id: string }) => n.id)).toEqual([latest.id]);
      expect(s.gaps).toEqual([
        {
          country: 'UA',
          currency: 'USD',
          required: 5_000_000,
          received: 1_000_000,
          unmet: 4_000_000,
          supportPledged: 500_000,
          supportAllocated: 0,
          supportDelivered: 0,
          uncovered: 3_500_000,
        },
      ]);
    });

    it('exports entries over TAXII as STIX 2.1 under published extension-definitions, valid to the OASIS schemas', async () => {
      const { call } = await start();
      const e = (await call('PL', 'POST', '/support', entry())).json();
      const n = (await call('PL', 'POST', '/humanitarian/needs', need())).json();
      const objs: Array<Record<string, unknown>> = [];
      for (const t of [
        'bulwark-support',
        'bulwark-humanitarian-need',
        'bulwark-diplomatic-event',
        'extension-definition',
      ]) {
        const r = await call('LT', 'GET', `${COLL}/objects/?match[type]=${t}&limit=500`);
        expect(r.statusCode, r.body).toBe(200);
        objs.push(...((r.json().objects ?? []) as Array<Record<string, unknown>>));
      }
      const ids = new Set(objs.map((o) => o.id));
      for (const id of [e.id, n.id, SUPPORT_EXTENSION_ID, EVENT_EXTENSION_ID, NEED_EXTENSION_ID])
        expect(ids).toContain(id);
      expect(objs.filter((o) => o.type === 'bulwark-diplomatic-event').length).toBeGreaterThanOrEqual(5);
      expect(objs.flatMap((o) => stixSchemaErrors(o))).toEqual([]);
      const support = objs.find((o) => o.id === e.id)!;
      expect(support).toMatchObject({
        recipient: 'UA',
        status: 'pledged',
        amount: { value: 1_000_000.5, currency: 'EUR' },
      });
      expect((support.extensions as Record<string, unknown>)[SUPPORT_EXTENSION_ID]).toEqual({
        extension_type: 'new-sdo',
      });
    });
  });
}
