import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';

const MARKER = 'CAMPAIGNMARKER5Z';

/**
 * A campaign the REST API hides from a reader (none of its incidents readable: GET answers 404, the list
 * leaves it out) must not appear in that reader's briefing either: a derived view follows its source.
 */
for (const db of testDatabases) {
  describe(`briefing campaigns (${db.name})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('leaves out a campaign none of whose incidents the requester may read', async () => {
      server = await testServer({ db });
      const tokens = { PL: await server.token('PL'), DE: await server.token('DE') };
      const call = async (org: 'PL' | 'DE', method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
        server!.app.inject({
          method,
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${tokens[org]}` },
          ...(payload ? { payload } : {}),
        });
      const made = async (org: 'PL' | 'DE', url: string, body: object) => {
        const r = await call(org, 'POST', url, body);
        expect(r.statusCode, r.body).toBe(201);
        return r.json<{ id: string }>();
      };
      const inc = await made('PL', '/incidents', {
        title: 'Cable cut in the Baltic',
        description: 'A data cable was damaged',
        category: 'sabotage',
        occurredAt: '2025-03-03T10:00:00Z',
        affectedMembers: ['PL'],
        tlp: 'green',
      });
      const campaign = await made('PL', '/campaigns', { name: `${MARKER} ops`, incidents: [inc.id], tlp: 'green' });
      const narrowed = await call('PL', 'PATCH', `/incidents/${inc.id}`, { tlp: 'red' });
      expect(narrowed.statusCode, narrowed.body).toBe(200);
      expect((await call('DE', 'GET', `/campaigns/${campaign.id}`)).statusCode).toBe(404);
      expect((await call('DE', 'GET', '/campaigns')).body).not.toContain(MARKER);

      // Campaigns are listed by when they were confirmed: now.
      const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
      const period = { from: day(-200), to: day(100), format: 'markdown' };
      const b = await made('DE', '/briefings', period);
      const md = (await call('DE', 'GET', `/briefings/${b.id}?format=markdown`)).body;
      expect(md).not.toContain(MARKER);
      // The author still sees its campaign in its own briefing.
      const own = await made('PL', '/briefings', period);
      expect((await call('PL', 'GET', `/briefings/${own.id}?format=markdown`)).body).toContain(MARKER);
    });
  });
}
