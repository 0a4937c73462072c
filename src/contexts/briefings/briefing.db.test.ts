import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';

const HIDDEN = 'HIDDENMARKER7Q';
const SHOWN = 'SHOWNMARKER3K';

const incident = (title: string, tlp: string, extra: Record<string, unknown> = {}) => ({
  title,
  description: `${title} description`,
  category: 'cyber',
  occurredAt: '2025-03-03T10:00:00Z',
  location: { lat: 52.23, lon: 21.01 },
  affectedMembers: ['PL'],
  tlp,
  ...extra,
});
const support = (description: string, tlp: string) => ({
  recipient: 'UA',
  avenue: 'energy',
  description,
  amount: { value: 2_500_000, currency: 'EUR' },
  pledgedAt: '2025-03-04',
  status: 'pledged',
  tlp,
});
const event = (title: string, tlp: string) => ({
  title,
  kind: 'talks',
  startedAt: '2025-03-05',
  parties: ['Ukraine', 'Russia'],
  status: 'ongoing',
  summary: `${title} summary`,
  sources: [`https://example.org/${title}`],
  tlp,
});
const need = (marker: string, tlp: string) => ({
  area: 'UA-14',
  sector: 'shelter',
  peopleInNeed: 1000,
  asOf: '2025-03-02',
  source: `https://example.org/${marker}`,
  tlp,
});

/** Text of a PDF as a standard reader sees it (poppler's pdftotext). */
function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8');
}

for (const db of testDatabases) {
  describe(`briefings (${db.name})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    async function start(config = {}) {
      server = await testServer({ db, config });
      const tokens: Record<string, string> = {};
      for (const org of ['PL', 'DE']) tokens[org] = await server.token(org);
      const call = (org: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
        server!.app.inject({
          method,
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${tokens[org]}` },
          ...(payload ? { payload } : {}),
        });
      const made = async (org: string, url: string, body: object) => {
        const r = await call(org, 'POST', url, body);
        expect(r.statusCode, r.body).toBe(201);
        return r.json<{ id: string }>();
      };
      return { call, made };
    }

    it(
      'holds only what the requester may read, in every format; TLP is the strictest held; same data, same hash',
      { timeout: 60_000 },
      async () => {
        const { call, made } = await start();
        // What PL may read: its own AMBER incident and entries, DE's GREEN incident.
        await made('PL', '/incidents', incident(`${SHOWN} incident`, 'amber'));
        await made('DE', '/incidents', incident('German report', 'green', { category: 'sabotage' }));
        await made('PL', '/support', support(`${SHOWN} transformers`, 'amber'));
        await made('PL', '/diplomacy/events', event(`${SHOWN}talks`, 'green'));
        await made('PL', '/humanitarian/needs', need(`${SHOWN}need`, 'green'));
        // What PL may not read: DE's RED objects of every kind.
        await made('DE', '/incidents', incident(`${HIDDEN} incident`, 'red', { category: 'disinformation' }));
        await made('DE', '/support', support(`${HIDDEN} secret shipment`, 'red'));
        await made('DE', '/diplomacy/events', event(`${HIDDEN}talks`, 'red'));
        await made('DE', '/humanitarian/needs', need(`${HIDDEN}need`, 'red'));

        const body = { from: '2025-03-01', to: '2025-03-31', format: 'pdf' };
        const b = await made('PL', '/briefings', body);
        expect(b).toMatchObject({ tlp: 'amber', audience: [], org: 'PL', formats: ['markdown', 'html', 'pdf'] });
        const again = (await made('PL', '/briefings', { ...body, format: 'markdown' })) as { sha256?: string };
        expect(again.sha256).toBe((b as { sha256?: string }).sha256);

        const md = (await call('PL', 'GET', `/briefings/${b.id}?format=markdown`)).body;
        const htmlRes = await call('PL', 'GET', `/briefings/${b.id}?format=html`);
        const pdfRes = await call('PL', 'GET', `/briefings/${b.id}?format=pdf`);
        expect(htmlRes.headers['content-type']).toMatch(/^text\/html/);
        expect(pdfRes.headers['content-type']).toBe('application/pdf');
        const pdf = pdfText(pdfRes.rawPayload);
        for (const [name, text] of [
          ['markdown', md],
          ['html', htmlRes.body],
          ['pdf', pdf],
        ] as const) {
          expect(text, name).toContain(SHOWN);
          expect(text, name).toContain('TLP:AMBER');
          expect(text, name).not.toContain(HIDDEN);
          expect(text, name).not.toContain('disinformation');
          expect(text, name).toContain('2 incidents in the period');
        }
        // Every page of the PDF carries the release in its header and footer.
        const pages = pdf.split('\f').filter((p) => p.trim() !== '');
        expect(pages.length).toBeGreaterThan(1);
        for (const p of pages) expect(p.match(/TLP:AMBER/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
      },
    );

    it('is readable, listed and deletable by its organisation only; bad periods are 400 naming `to`', async () => {
      const { call, made } = await start();
      const b = await made('PL', '/briefings', { from: '2025-01-01', to: '2025-01-08', format: 'html' });
      expect((await call('DE', 'GET', `/briefings/${b.id}?format=markdown`)).statusCode).toBe(404);
      expect((await call('DE', 'GET', `/briefings/${b.id}/meta`)).statusCode).toBe(404);
      expect((await call('DE', 'DELETE', `/briefings/${b.id}`)).statusCode).toBe(404);
      expect((await call('DE', 'GET', '/briefings')).json()).toEqual({ items: [], next: null });
      expect((await call('PL', 'GET', '/briefings')).json().items.map((x: { id: string }) => x.id)).toEqual([b.id]);
      for (const [from, to] of [
        ['2025-02-01', '2025-01-01'],
        ['2024-01-01', '2025-06-01'],
      ]) {
        const r = await call('PL', 'POST', '/briefings', { from, to, format: 'markdown' });
        expect(r.statusCode).toBe(400);
        expect(r.json().error.field).toBe('to');
      }
      expect((await call('PL', 'DELETE', `/briefings/${b.id}`)).statusCode).toBe(204);
      expect((await call('PL', 'GET', `/briefings/${b.id}?format=html`)).statusCode).toBe(404);
      expect((await call('PL', 'GET', '/briefings')).json().items).toEqual([]);
    });

    it('makes the daily briefing of the organisations the setting names, once per day', async () => {
      await start({
        briefings: { chromium: '/usr/bin/chromium', daily: ['PL'], dailyHour: 0, pdfWarm: 'off', pdfIdleSeconds: 0 },
      });
      const list = await server!.services.briefings.briefings.list('PL', 10);
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ scheduled: true, createdBy: 'daily-briefing' });
      expect((await server!.services.briefings.briefings.list('DE', 10)).items).toEqual([]);
      expect(await server!.services.briefings.daily.runDue()).toBe(0);
    });
  });
}
