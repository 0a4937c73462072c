import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testServer, type TestServer } from '../server.ts';
import { sqliteFileStore } from '../databases.ts';
import { openStream, type SseClient, type SseEvent } from '../sse-client.ts';
import { ORGANISATIONS } from '../../src/contexts/sharing/organisations.ts';
import { canRead, type Reader } from '../../src/kernel/access/releasability.ts';
import { TLP_LEVELS, type Tlp } from '../../src/kernel/access/tlp.ts';
import { MOBILISATION, WAR_SET } from '../../src/contexts/outlook/outlook.fixtures.ts';
import { OUTLOOK_STIX_TYPES } from '../../src/contexts/outlook/outlook-stix.ts';

/**
 * The releasability table (api.md) on every outlook read path: random authors, TLP levels and audiences
 * write scenario sets (with a signpost and an observation citing a STIX object of its own release),
 * questions and ACH matrices; every reader then sees exactly what canRead allows in lists (every page),
 * by id (posture and sensitivity too), in evidence references, over TAXII and on the live stream and
 * its replay. Hidden objects answer exactly as missing ones.
 */

const AUTHORS = ['PL', 'LT', 'UA'] as const;
const READERS = ['PL', 'LT', 'DE', 'UA', 'FR'] as const;
const KIND = new Map(ORGANISATIONS.map((o) => [o.code, o.kind]));
const TAXII = 'application/taxii+json;version=2.1';
const readerOf = (org: string): Reader => ({ kind: 'org', org, orgKind: KIND.get(org)! });
const spec = fc.record({
  author: fc.constantFrom(...AUTHORS),
  tlp: fc.constantFrom(...TLP_LEVELS),
  audience: fc.subarray([...READERS], { maxLength: 2 }),
});
/** The parts of response bodies the test reads. */
interface Body {
  id: string;
  items: Array<{ id: string }>;
  next: string | null;
  observations: Array<{ evidence: string[] }>;
  objects: Array<Record<string, unknown>>;
}
type Spec = { author: string; tlp: Tlp; audience: string[] };
const given = (audience: string[]) => (audience.length > 0 ? { audience } : {});

let server: TestServer | undefined;
const streams: SseClient[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await server?.close();
  server = undefined;
});

describe('outlook releasability on every read path', () => {
  it(
    'each reader sees exactly the sets, questions, matrices and evidence canRead allows',
    { timeout: 240_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ set: spec, evidence: spec }), { minLength: 1, maxLength: 3 }),
          fc.array(spec, { minLength: 1, maxLength: 2 }),
          fc.array(spec, { minLength: 1, maxLength: 2 }),
          async (sets, questions, matrices) => {
            for (const s of streams.splice(0)) s.close();
            await server?.close();
            const srv = (server = await testServer({ db: sqliteFileStore }));
            await srv.app.listen({ port: 0, host: '127.0.0.1' });
            const addr = srv.app.server.address();
            const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
            const tokens = new Map<string, string>();
            for (const org of READERS) tokens.set(org, await srv.token(org));
            const call = async (org: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
              const res = await srv.app.inject({
                method,
                url,
                headers: {
                  authorization: `Bearer ${tokens.get(org)!}`,
                  accept: url.startsWith('/taxii2') ? TAXII : 'application/json',
                },
                ...(payload ? { payload } : {}),
              });
              return {
                status: res.statusCode,
                body: res.body,
                json: () => JSON.parse(res.body) as Body,
              };
            };
            const live = new Map<string, SseClient>();
            for (const org of READERS) {
              const s = await openStream(base, tokens.get(org)!);
              streams.push(s);
              live.set(org, s);
            }

            const made = new Map<string, Spec>();
            const evidenceOf = new Map<string, { id: string; spec: Spec }>();
            for (const { set, evidence } of sets) {
              // the cited object is the set author's own, under a release of its own
              const ev = { ...evidence, author: set.author };
              const indicator = `indicator--${randomUUID()}`;
              const stored = await srv.services.knowledge.ingest(
                {
                  kind: 'user',
                  userId: 'x',
                  userName: 'x',
                  org: ev.author,
                  orgKind: KIND.get(ev.author)!,
                  role: 'analyst',
                },
                [
                  {
                    index: 0,
                    value: {
                      type: 'indicator',
                      spec_version: '2.1',
                      id: indicator,
                      created: '2026-01-01T00:00:00.000Z',
                      modified: '2026-01-01T00:00:00.000Z',
                      pattern: "[domain-name:value = 'x.example']",
                      pattern_type: 'stix',
                      valid_from: '2026-01-01T00:00:00Z',
                    },
                  },
                ],
                { defaultTlp: ev.tlp, audience: ev.audience },
              );
              expect(stored.rejected).toEqual([]);
              const r = await call(set.author, 'POST', '/api/v1/outlook/scenario-sets', {
                ...WAR_SET,
                tlp: set.tlp,
                ...given(set.audience),
              });
              expect(r.status, r.body).toBe(201);
              const id = r.json().id;
              made.set(id, set);
              expect(
                (await call(set.author, 'POST', `/api/v1/outlook/scenario-sets/${id}/signposts`, MOBILISATION)).status,
              ).toBe(201);
              const o = await call(set.author, 'POST', `/api/v1/outlook/scenario-sets/${id}/observations`, {
                signpost: 'mobilisation',
                observed: true,
                observedAt: '2026-05-01T00:00:00Z',
                evidence: [indicator],
              });
              expect(o.status, o.body).toBe(201);
              evidenceOf.set(id, { id: indicator, spec: ev });
            }
            for (const q of questions) {
              const r = await call(q.author, 'POST', '/api/v1/outlook/questions', {
                title: 'q',
                resolutionCriteria: 'c',
                closesAt: '2030-01-01T00:00:00Z',
                tlp: q.tlp,
                ...given(q.audience),
              });
              expect(r.status, r.body).toBe(201);
              made.set(r.json().id, q);
            }
            for (const a of matrices) {
              const r = await call(a.author, 'POST', '/api/v1/outlook/ach', {
                title: 'a',
                hypotheses: [
                  { key: 'h1', title: 'one' },
                  { key: 'h2', title: 'two' },
                ],
                tlp: a.tlp,
                ...given(a.audience),
              });
              expect(r.status, r.body).toBe(201);
              made.set(r.json().id, a);
            }
            const missing = `bulwark-scenario-set--${randomUUID()}`;
            const neutral = (body: string, id: string) => body.split(id).join('<id>');

            for (const org of READERS) {
              const can = (s: Spec) => canRead(readerOf(org), s);
              const visible = [...made]
                .filter(([, s]) => can(s))
                .map(([id]) => id)
                .sort();
              const ctx = `reader ${org}`;
              // lists, every page
              const listed: string[] = [];
              for (const path of ['scenario-sets', 'questions', 'ach']) {
                let cursor: string | null = null;
                do {
                  const page = (
                    await call(org, 'GET', `/api/v1/outlook/${path}?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
                  ).json();
                  listed.push(...(page.items as Array<{ id: string }>).map((x) => x.id));
                  cursor = page.next;
                } while (cursor);
              }
              expect(listed.sort(), ctx).toEqual(visible);
              // by id: readable is 200, hidden reads exactly as missing
              const miss = await call(org, 'GET', `/api/v1/outlook/scenario-sets/${missing}`);
              for (const [id, s] of made) {
                const path = id.startsWith('bulwark-scenario-set')
                  ? 'scenario-sets'
                  : id.startsWith('bulwark-forecast')
                    ? 'questions'
                    : 'ach';
                const urls = [
                  `/api/v1/outlook/${path}/${id}`,
                  ...(path === 'scenario-sets'
                    ? ['posture', 'sensitivity'].map((x) => `/api/v1/outlook/${path}/${id}/${x}`)
                    : []),
                ];
                for (const url of urls) {
                  const r = await call(org, 'GET', url);
                  if (can(s)) expect(r.status, `${ctx} ${url}`).toBe(200);
                  else {
                    expect(r.status, `${ctx} ${url}`).toBe(404);
                    expect(neutral(r.body, id).replace(/scenario set|question|ACH matrix/, 'x')).toBe(
                      neutral(miss.body, missing).replace(/scenario set/, 'x'),
                    );
                  }
                }
                const ev = evidenceOf.get(id);
                if (ev && can(s)) {
                  const got = (await call(org, 'GET', `/api/v1/outlook/scenario-sets/${id}`)).json();
                  expect(got.observations[0]!.evidence, `${ctx} evidence of ${id}`).toEqual(
                    can(ev.spec) ? [ev.id] : [],
                  );
                }
              }
              // TAXII: the STIX forms (sets, signposts, observations, questions, matrices) of readable objects only
              const taxii = (await call(org, 'GET', '/taxii2/alliance/collections/alliance/objects/?limit=500')).json();
              const stix = taxii.objects.filter((x) => OUTLOOK_STIX_TYPES.includes(String(x.type)));
              const owner = (x: Record<string, unknown>) => String(x.scenario_set_ref ?? x.id);
              expect([...new Set(stix.map(owner))].sort(), `${ctx} TAXII`).toEqual(visible);
              for (const x of stix) expect(JSON.stringify(x)).not.toContain('indicator--');
              // stream, live and replayed: events only about readable objects, and every readable object's creation
              const replay = await openStream(base, tokens.get(org)!, { lastEventId: '0' });
              streams.push(replay);
              for (const s of [live.get(org)!, replay]) {
                const ids = (evs: SseEvent[]) =>
                  new Set(
                    evs
                      .filter((e) => /^(outlook|posture|question|ach|observation)\./.test(e.event))
                      .map((e) => (JSON.parse(e.data) as { id: string }).id),
                  );
                await s.waitFor((evs) => visible.every((id) => ids(evs).has(id)), 10_000, `${ctx} stream`);
                for (const id of ids(s.events)) expect(visible, `${ctx} event about ${id}`).toContain(id);
              }
            }
          },
        ),
        { numRuns: 8 },
      );
    },
  );
});
