import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { IMPACTS, MOBILISATION, WAR_SET } from './outlook.fixtures.ts';

const HIDDEN = 'HIDDENSETMARKER9X';
const SHOWN = 'SHOWNSETMARKER4Y';

for (const db of testDatabases) {
  describe(`the briefings' outlook section (${db.name})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it(
      'gives each reader the probabilities and postures of the sets it may read, never a hidden one',
      {
        timeout: 60_000,
      },
      async () => {
        server = await testServer({ db });
        const tokens: Record<string, string> = {};
        for (const org of ['PL', 'DE']) tokens[org] = await server.token(org);
        const call = async (org: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
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
        const now = Date.now();
        const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString();
        // PL's GREEN set: observed mobilisation 3 days ago (in the period) and 20 days ago (before it).
        const shown = await made('PL', '/outlook/scenario-sets', { ...WAR_SET, title: `${SHOWN} war`, tlp: 'green' });
        await made('PL', `/outlook/scenario-sets/${shown.id}/signposts`, MOBILISATION);
        expect((await call('PL', 'PUT', `/outlook/scenario-sets/${shown.id}/impacts`, IMPACTS)).statusCode).toBe(200);
        for (const d of [20, 3])
          await made('PL', `/outlook/scenario-sets/${shown.id}/observations`, {
            signpost: 'mobilisation',
            observed: true,
            observedAt: at(d),
          });
        // DE's RED set: PL may not read it.
        const hidden = await made('DE', '/outlook/scenario-sets', {
          ...WAR_SET,
          title: `${HIDDEN} plan`,
          scenarios: WAR_SET.scenarios.map((s) => ({ ...s, title: `${HIDDEN} ${s.title}` })),
          tlp: 'red',
        });

        const view = (await call('PL', 'GET', `/outlook/scenario-sets/${shown.id}`)).json<{
          scenarios: Array<{ key: string; probability: number }>;
          history: Array<{ probabilities: Record<string, number> }>;
        }>();
        const reader = { kind: 'org' as const, org: 'PL', orgKind: 'member' as const };
        const port = await server.services.outlook.briefing.section(reader, at(7), at(0));
        expect(port.held.map((h) => h.id)).toEqual([shown.id]);
        const momentum = port.section.scenarios.find((s) => s.name === `${SHOWN} war: Aggressor keeps its momentum`)!;
        const current = view.scenarios.find((s) => s.key === 'aggressor-momentum')!.probability;
        expect(momentum.probability).toBeCloseTo(current, 9);
        // the change over the period is the second observation's: from after the first to now
        expect(momentum.change).toBeCloseTo(current - view.history[0]!.probabilities['aggressor-momentum']!, 9);
        expect(port.section.posture.map((p) => p.member)).toEqual(['LT', 'PL']);
        expect(port.section.posture[1]!.posture).toMatch(
          /^(normal|elevated|high|very high) \(expected threat \d\.\d\d; /,
        );

        const period = { from: at(7).slice(0, 10), to: new Date(now + 86_400_000).toISOString().slice(0, 10) };
        const b = await made('PL', '/briefings', { ...period, format: 'markdown' });
        const md = (await call('PL', 'GET', `/briefings/${b.id}?format=markdown`)).body;
        expect(md).toContain(`${SHOWN} war: Negotiated settlement`);
        expect(md).not.toContain(HIDDEN);
        expect(md).not.toContain('No outlook data exists');
        // DE reads its own RED set and PL's GREEN one (GREEN: every organisation).
        const de = await made('DE', '/briefings', { ...period, format: 'markdown' });
        const deMd = (await call('DE', 'GET', `/briefings/${de.id}?format=markdown`)).body;
        expect(deMd).toContain(`${HIDDEN} plan: ${HIDDEN} Negotiated settlement`);
        expect(deMd).toContain(`${SHOWN} war`);
        expect((await call('PL', 'GET', `/outlook/scenario-sets/${hidden.id}`)).statusCode).toBe(404);
      },
    );
  });
}
