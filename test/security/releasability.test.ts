import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testServer, type TestServer } from '../server.ts';
import { sqliteFileStore } from '../databases.ts';
import { openStream, type SseClient, type SseEvent } from '../sse-client.ts';
import { systemActor } from '../../src/kernel/access/actor.ts';
import { ORGANISATIONS } from '../../src/contexts/sharing/organisations.ts';
import { canRead, type Reader } from '../../src/kernel/access/releasability.ts';
import { TLP2_MARKING_IDS, TLP_LEVELS, type Tlp } from '../../src/kernel/access/tlp.ts';
import { isoWeek } from '../../src/contexts/intel/incident.ts';
import { exportBundle } from '../../src/contexts/knowledge/knowledge.export.ts';

/**
 * Adversarial property test of the releasability table (api.md) over every read path: random
 * organisations, TLP levels and audiences write correlated incidents, responses and council
 * proposals; every reader then sees exactly what canRead allows — no more, and in lists no less.
 */

const AUTHORS = ['PL', 'LT', 'DE', 'UA'] as const;
const READERS = ['PL', 'LT', 'DE', 'UA', 'FR', 'GE'] as const;
const PROPOSERS = ['PL', 'LT', 'DE'] as const;
const KIND = new Map(ORGANISATIONS.map((o) => [o.code, o.kind]));
const TAXII = 'application/taxii+json;version=2.1';
const COLL = '/taxii2/alliance/collections/alliance';

interface Spec {
  author: string;
  tlp: Tlp;
  audience: string[];
}
interface IncSpec extends Spec {
  category: 'cyber' | 'disinformation';
  members: string[];
  day: number;
}
interface Made extends IncSpec {
  id: string;
  occurredAt: string;
}

const spec = { tlp: fc.constantFrom(...TLP_LEVELS), audience: fc.subarray([...READERS], { maxLength: 2 }) };
const incidentArb = fc.record({
  author: fc.constantFrom(...AUTHORS),
  ...spec,
  category: fc.constantFrom('cyber' as const, 'disinformation' as const),
  members: fc.subarray(['PL', 'LT', 'EE'], { minLength: 1 }),
  day: fc.integer({ min: 1, max: 20 }),
});
// Every member takes part in a proposal, so it is released to every member (AMBER or wider, no audience).
const proposalArb = fc.record({
  author: fc.constantFrom(...PROPOSERS),
  tlp: fc.constantFrom<Tlp>('clear', 'green', 'amber'),
  audience: fc.constant<string[]>([]),
});

const readerOf = (org: string): Reader => ({ kind: 'org', org, orgKind: KIND.get(org)! });
const sorted = (xs: Iterable<string>) => [...xs].sort();
const countBy = <T>(xs: readonly T[], key: (x: T) => string[]) => {
  const out: Record<string, number> = {};
  for (const x of xs) for (const k of key(x)) out[k] = (out[k] ?? 0) + 1;
  return out;
};
/** An audience as the API takes it: left out when it names nobody (an empty list is refused). */
const given = (audience: string[]) => (audience.length > 0 ? { audience } : {});
/** A hidden object's error must read exactly like a missing one's: same status, same body. */
const neutral = (body: string, id: string) => body.split(id).join('<id>');

let server: TestServer | undefined;
const streams: SseClient[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await server?.close();
  server = undefined;
});

describe('releasability on every read path (api.md table, architecture rule 3)', () => {
  it('each reader sees exactly what canRead allows', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(incidentArb, { minLength: 2, maxLength: 5 }),
        fc.array(proposalArb, { minLength: 1, maxLength: 3 }),
        fc.record(spec),
        fc.option(fc.record(spec), { nil: undefined }),
        async (incs, props, campSpec, narrowed) => {
          for (const s of streams.splice(0)) s.close();
          await server?.close();
          const srv = (server = await testServer({ db: sqliteFileStore }));
          await srv.app.listen({ port: 0, host: '127.0.0.1' });
          const addr = srv.app.server.address();
          const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
          const tokens = new Map<string, string>();
          for (const org of READERS) tokens.set(org, await srv.token(org));
          const call = async (
            org: string,
            method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
            url: string,
            payload?: object,
          ) => {
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
              json: () => JSON.parse(res.body) as Record<string, unknown> & { items: Array<Record<string, unknown>> },
            };
          };
          const live = new Map<string, SseClient>();
          for (const org of READERS) {
            const s = await openStream(base, tokens.get(org)!);
            streams.push(s);
            live.set(org, s);
          }

          // Writes: incidents sharing one observable (so they correlate), a response on each, proposals.
          const shared = `c2-${randomUUID().slice(0, 8)}.example`;
          const made: Made[] = [];
          for (const [i, s] of incs.entries()) {
            const occurredAt = `2026-01-${String(s.day).padStart(2, '0')}T10:00:00.000Z`;
            const r = await call(s.author, 'POST', '/api/v1/incidents', {
              title: `incident ${i}`,
              description: 'test',
              category: s.category,
              occurredAt,
              affectedMembers: s.members,
              tlp: s.tlp,
              ...given(s.audience),
              location: { lat: 54.6, lon: 25.3 },
              observables: [
                { type: 'domain-name', value: shared },
                { type: 'ipv4-addr', value: `10.0.0.${i + 1}` },
              ],
            });
            expect(r.status, r.body).toBe(201);
            made.push({ ...s, id: r.json().id as string, occurredAt });
          }
          for (const m of made) {
            const r = await call(m.author, 'POST', '/api/v1/responses', {
              title: `response to ${m.id}`,
              target: m.id,
              courseOfAction: { name: 'block' },
              participants: [m.author],
              tlp: 'green',
            });
            expect(r.status, r.body).toBe(201);
          }
          const proposals: Array<Spec & { id: string; references: string[] }> = [];
          for (const p of props) {
            // It references every incident its author may read (each reader later sees only those it may read).
            const references = made.filter((m) => canRead(readerOf(p.author), m)).map((m) => m.id);
            const r = await call(p.author, 'POST', '/api/v1/council/proposals', {
              title: 'deploy',
              kind: 'deployment-mandate',
              host: 'LT',
              text: 'text',
              procedure: 'meeting',
              tlp: p.tlp,
              references,
            });
            expect(r.status, r.body).toBe(201);
            proposals.push({ ...p, id: r.json().id as string, references });
          }
          // A confirmed campaign over every incident its author may read.
          const campAuthor = made[0]!.author;
          const campIncidents = made.filter((m) => canRead(readerOf(campAuthor), m)).map((m) => m.id);
          const cr = await call(campAuthor, 'POST', '/api/v1/campaigns', {
            name: 'campaign',
            incidents: campIncidents,
            tlp: campSpec.tlp,
            ...given(campSpec.audience),
          });
          expect(cr.status, cr.body).toBe(201);
          const campaign = {
            author: campAuthor,
            tlp: campSpec.tlp,
            audience: campSpec.audience,
            id: cr.json().id as string,
          };
          // Its author then re-releases the last incident (it may become hidden from the campaign's author).
          const earlier = new Map<string, Spec[]>(
            made.map((m) => [m.id, [{ author: m.author, tlp: m.tlp, audience: m.audience }]]),
          );
          const last = made[made.length - 1]!;
          if (narrowed) {
            const r = await call(last.author, 'PATCH', `/api/v1/incidents/${last.id}`, {
              tlp: narrowed.tlp,
              audience: narrowed.audience.length > 0 ? narrowed.audience : null,
            });
            expect(r.status, r.body).toBe(200);
            Object.assign(last, { tlp: narrowed.tlp, audience: narrowed.audience });
            earlier.get(last.id)!.push({ author: last.author, tlp: last.tlp, audience: last.audience });
          }
          const truth = new Map<string, string[]>();
          for (const m of made)
            truth.set(
              m.id,
              (await srv.services.intel.incidents.correlations(systemActor('test'), m.id)).map((c) => c.id),
            );
          const missingIncident = `incident--${randomUUID()}`;
          const missingProposal = `proposal--${randomUUID()}`;

          for (const org of READERS) {
            const reader = readerOf(org);
            const can = (s: Spec) => canRead(reader, s);
            const vis = made.filter(can);
            const visIds = sorted(vis.map((m) => m.id));
            const visSet = new Set(visIds);
            const ctx = `reader ${org}`;

            // Incident list, every filter, and keyset pagination (no more, no less).
            const ids = async (q: string) =>
              sorted(
                (await call(org, 'GET', `/api/v1/incidents?limit=100${q}`)).json().items.map((x) => x.id as string),
              );
            expect(await ids(''), ctx).toEqual(visIds);
            expect(await ids('&category=cyber'), ctx).toEqual(
              sorted(vis.filter((m) => m.category === 'cyber').map((m) => m.id)),
            );
            expect(await ids('&member=LT'), ctx).toEqual(
              sorted(vis.filter((m) => m.members.includes('LT')).map((m) => m.id)),
            );
            expect(await ids('&since=2026-01-10T00:00:00Z'), ctx).toEqual(
              sorted(vis.filter((m) => m.day >= 10).map((m) => m.id)),
            );
            const paged: string[] = [];
            for (let cursor = '', n = 0; n < 10; n++) {
              const page = (
                await call(org, 'GET', `/api/v1/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
              ).json();
              paged.push(...page.items.map((x) => x.id as string));
              if (!page.next) break;
              cursor = page.next as string;
            }
            expect(sorted(paged), ctx).toEqual(visIds);

            // Single reads: hidden answers exactly like missing (404, same body), also for writes.
            const missing = {
              get: neutral((await call(org, 'GET', `/api/v1/incidents/${missingIncident}`)).body, missingIncident),
              patch: await call(org, 'PATCH', `/api/v1/incidents/${missingIncident}`, { title: 'x' }),
              taxii: neutral((await call(org, 'GET', `${COLL}/objects/${missingIncident}/`)).body, missingIncident),
            };
            for (const m of made) {
              const ok = visSet.has(m.id);
              for (const path of ['', '/history', '/correlations']) {
                const r = await call(org, 'GET', `/api/v1/incidents/${m.id}${path}`);
                expect(r.status, `${ctx} ${path} ${m.id}`).toBe(ok ? 200 : 404);
                if (!ok)
                  expect(neutral(r.body, m.id)).toBe(
                    path === ''
                      ? missing.get
                      : neutral(
                          (await call(org, 'GET', `/api/v1/incidents/${missingIncident}${path}`)).body,
                          missingIncident,
                        ),
                  );
              }
              if (ok) {
                const corr = (await call(org, 'GET', `/api/v1/incidents/${m.id}/correlations`))
                  .json()
                  .items.map((x) => x.id as string);
                expect(sorted(corr), `${ctx} correlations of ${m.id}`).toEqual(
                  sorted(truth.get(m.id)!.filter((x) => visSet.has(x))),
                );
              }
              if (m.author !== org) {
                const p = await call(org, 'PATCH', `/api/v1/incidents/${m.id}`, { title: 'x' });
                expect(p.status, `${ctx} PATCH ${m.id}`).toBe(ok ? 403 : 404);
                if (!ok) expect(neutral(p.body, m.id)).toBe(neutral(missing.patch.body, missingIncident));
                const t = await call(org, 'GET', `${COLL}/objects/${m.id}/`);
                expect(t.status, `${ctx} TAXII object ${m.id}`).toBe(ok ? 200 : 404);
                if (!ok) expect(neutral(t.body, m.id)).toBe(missing.taxii);
                // Narrowing is retroactive: no version is listed once the current one is hidden (issue 12, item 12).
                expect(
                  (await call(org, 'GET', `${COLL}/objects/${m.id}/versions/`)).status,
                  `${ctx} versions ${m.id}`,
                ).toBe(ok ? 200 : 404);
                expect((await call(org, 'DELETE', `${COLL}/objects/${m.id}/`)).status).toBe(ok ? 403 : 404);
              }
              // Responses filtered by a hidden target must not confirm the target exists.
              const resp = (await call(org, 'GET', `/api/v1/responses?target=${m.id}`)).json().items;
              expect(
                resp.map((x) => x.target),
                `${ctx} responses?target=${m.id}`,
              ).toEqual(ok ? [m.id] : []);
            }
            for (const x of (await call(org, 'GET', '/api/v1/responses?limit=100')).json().items)
              if (x.target !== null) expect(visSet.has(x.target as string), ctx).toBe(true);

            // Counts and changes in the threat picture.
            const pic = (await call(org, 'GET', '/api/v1/picture?since=2026-01-01T00:00:00Z')).json();
            expect(pic.total, ctx).toBe(vis.length);
            expect(pic.byCategory, ctx).toEqual(countBy(vis, (m) => [m.category]));
            expect(pic.byMember, ctx).toEqual(countBy(vis, (m) => m.members));
            expect(pic.byWeek, ctx).toEqual(countBy(vis, (m) => [isoWeek(m.occurredAt)]));
            const changed = (pic.changedSince as { incidents: Array<{ id: string }> }).incidents;
            expect(sorted(changed.map((c) => c.id)), ctx).toEqual(visIds);
            for (const c of pic.topCampaigns as Array<{ incidents: number }>)
              expect(c.incidents).toBeLessThanOrEqual(vis.length);

            // Campaigns: only visible incidents, and only members touched by them.
            for (const c of (await call(org, 'GET', '/api/v1/campaigns?limit=50')).json().items) {
              const inc = c.incidents as string[];
              for (const id of inc) expect(visSet.has(id), `${ctx} campaign ${String(c.id)}`).toBe(true);
              const touched = new Set(vis.filter((m) => inc.includes(m.id)).flatMap((m) => m.members));
              expect(
                (c.membersTouched as string[]).every((x) => touched.has(x)),
                ctx,
              ).toBe(true);
            }
            const campIncs = sorted(campIncidents.filter((i) => visSet.has(i)));
            const campVisible = can(campaign) && campIncs.length > 0;
            const cg = await call(org, 'GET', `/api/v1/campaigns/${campaign.id}`);
            expect(cg.status, `${ctx} campaign`).toBe(campVisible ? 200 : 404);
            if (campVisible) expect(sorted(cg.json().incidents as string[]), ctx).toEqual(campIncs);
            const listedCamp = (await call(org, 'GET', '/api/v1/campaigns?limit=50'))
              .json()
              .items.find((x) => x.id === campaign.id);
            expect(listedCamp ? sorted(listedCamp.incidents as string[]) : null, `${ctx} campaign list`).toEqual(
              campVisible ? campIncs : null,
            );
            expect((await call(org, 'GET', `${COLL}/objects/${campaign.id}/`)).status, `${ctx} TAXII campaign`).toBe(
              can(campaign) ? 200 : 404,
            );
            for (const v of (await call(org, 'GET', '/api/v1/intel/common-values')).json().items)
              expect(v.visibleIncidents as number).toBeLessThanOrEqual(vis.length);

            // TAXII lists, manifest and the export bundle.
            const taxiiIds = sorted(
              (
                ((await call(org, 'GET', `${COLL}/objects/?match[type]=incident&limit=500`)).json().objects as
                  Array<{ id: string }> | undefined) ?? []
              ).map((o) => o.id),
            );
            expect(taxiiIds, `${ctx} TAXII objects`).toEqual(visIds);
            const manifest = sorted(
              (
                ((await call(org, 'GET', `${COLL}/manifest/?match[type]=incident&limit=500`)).json().objects as
                  Array<{ id: string }> | undefined) ?? []
              ).map((o) => o.id),
            );
            expect(manifest, `${ctx} TAXII manifest`).toEqual(visIds);
            let bundle = '';
            for await (const chunk of exportBundle(srv.services.knowledge, {
              reader,
              types: ['incident', 'relationship'],
            }))
              bundle += chunk.toString();
            const exported = (
              JSON.parse(bundle) as {
                objects: Array<{
                  id: string;
                  type: string;
                  revoked?: boolean;
                  source_ref?: string;
                  target_ref?: string;
                }>;
              }
            ).objects;
            expect(sorted(exported.filter((o) => o.type === 'incident').map((o) => o.id)), `${ctx} export`).toEqual(
              visIds,
            );
            for (const o of exported)
              for (const ref of [o.source_ref, o.target_ref])
                if (ref?.startsWith('incident--')) {
                  // A re-released incident revokes its old children under their old marking, so former readers learn of it.
                  expect(
                    visSet.has(ref) || (o.revoked === true && earlier.get(ref)!.some(can)),
                    `${ctx} export ref ${ref} in ${o.id} from ${String(o.source_ref)}`,
                  ).toBe(true);
                }

            // Council: list, get, positions and the deployment check on hidden proposals.
            const visProps = sorted(proposals.filter(can).map((p) => p.id));
            expect(
              sorted(
                (await call(org, 'GET', '/api/v1/council/proposals?limit=100')).json().items.map((x) => x.id as string),
              ),
              ctx,
            ).toEqual(visProps);
            const check = async (id: string) =>
              neutral(
                (
                  await call(org, 'POST', '/api/v1/treaty/deployment-checks', {
                    host: 'LT',
                    date: '2026-02-01',
                    purpose: 'reassurance',
                    formalRequest: true,
                    councilDecision: id,
                  })
                ).body,
                id,
              );
            const missingCheck = await check(missingProposal);
            const missingPos = await call(org, 'POST', `/api/v1/council/proposals/${missingProposal}/positions`, {
              position: 'concur',
            });
            for (const p of proposals) {
              const ok = can(p);
              const got = await call(org, 'GET', `/api/v1/council/proposals/${p.id}`);
              expect(got.status, `${ctx} proposal ${p.id}`).toBe(ok ? 200 : 404);
              if (ok) {
                expect(got.json().references, `${ctx} references of ${p.id}`).toEqual(
                  p.references.filter((x) => visSet.has(x)),
                );
                continue;
              }
              const pos = await call(org, 'POST', `/api/v1/council/proposals/${p.id}/positions`, {
                position: 'concur',
              });
              expect(pos.status, `${ctx} position on hidden ${p.id}`).toBe(missingPos.status);
              expect(neutral(pos.body, p.id)).toBe(neutral(missingPos.body, missingProposal));
              expect(await check(p.id), `${ctx} deployment check on hidden ${p.id}`).toBe(missingCheck);
            }

            // SSE, live and replayed from the start: exactly the readable objects' events.
            const visProposalSet = new Set(visProps);
            const wanted = new Set([...visIds, ...visProps]);
            const replay = await openStream(base, tokens.get(org)!, { lastEventId: '0' });
            streams.push(replay);
            for (const [kind, s] of [
              ['live', live.get(org)!],
              ['replay', replay],
            ] as const) {
              const seen = (evs: SseEvent[]) =>
                new Set(
                  evs
                    .filter((e) => /^(incident|proposal)\./.test(e.event))
                    .map((e) => (JSON.parse(e.data) as { id: string }).id),
                );
              await s.waitFor(
                (evs) => [...wanted].every((id) => seen(evs).has(id)),
                10_000,
                `${ctx} ${kind}: every readable object`,
              );
              for (const e of s.events) {
                if (!e.data.startsWith('{')) continue;
                const d = JSON.parse(e.data) as { id: string; incidents?: string[] };
                // Each event carries the release of the version it announces: an earlier, wider one may have reached this reader.
                if (e.event.startsWith('incident.'))
                  expect((earlier.get(d.id) ?? []).some(can), `${ctx} ${kind} ${e.event} ${d.id}`).toBe(true);
                // A replay is read after the narrowing: it holds no event about an incident now hidden.
                if (kind === 'replay' && e.event.startsWith('incident.'))
                  expect(visSet.has(d.id), `${ctx} replayed ${e.event} ${d.id}`).toBe(true);
                if (e.event.startsWith('campaign.')) expect(can(campaign), `${ctx} ${kind} ${e.event}`).toBe(true);
                if (e.event.startsWith('proposal.'))
                  expect(visProposalSet.has(d.id), `${ctx} ${kind} ${e.event} ${d.id}`).toBe(true);
                for (const x of d.incidents ?? [])
                  expect((earlier.get(x) ?? []).some(can), `${ctx} ${kind} ${e.event} names ${x}`).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('regressions: hidden objects leave no trace in filters, campaign splits or writes', () => {
  const setup = async () => {
    const srv = (server = await testServer());
    const tok = { PL: await srv.token('PL'), LT: await srv.token('LT'), DE: await srv.token('DE') };
    const call = async (
      org: keyof typeof tok,
      method: 'GET' | 'POST' | 'PATCH',
      url: string,
      payload?: object,
      contentType = 'application/json',
    ) => {
      const res = await srv.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${tok[org]}`,
          'content-type': contentType,
          accept: url.startsWith('/taxii2') ? TAXII : 'application/json',
        },
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });
      return { status: res.statusCode, body: res.body, json: () => JSON.parse(res.body) as Record<string, unknown> };
    };
    const incident = async (org: keyof typeof tok, tlp: Tlp) => {
      const r = await call(org, 'POST', '/api/v1/incidents', {
        title: `by ${org}`,
        description: 'd',
        category: 'cyber',
        occurredAt: '2026-01-05T00:00:00Z',
        affectedMembers: [org],
        tlp,
      });
      expect(r.status, r.body).toBe(201);
      return r.json().id as string;
    };
    return { call, incident };
  };

  it('GET /responses?target= a hidden incident lists nothing (it used to confirm the target)', async () => {
    const { call, incident } = await setup();
    const hidden = await incident('LT', 'red');
    expect(
      (
        await call('LT', 'POST', '/api/v1/responses', {
          title: 'r',
          target: hidden,
          courseOfAction: { name: 'block' },
          participants: ['LT', 'PL'],
          tlp: 'green',
        })
      ).status,
    ).toBe(201);
    expect((await call('PL', 'GET', '/api/v1/responses')).json().items).toMatchObject([{ target: null }]);
    expect((await call('PL', 'GET', `/api/v1/responses?target=${hidden}`)).json().items).toEqual([]);
    expect((await call('LT', 'GET', `/api/v1/responses?target=${hidden}`)).json().items).toMatchObject([
      { target: hidden },
    ]);
  });

  it('splitting out an incident that became hidden answers as for a stranger id', async () => {
    const { call, incident } = await setup();
    const theirs = await incident('LT', 'green');
    const mine = [await incident('PL', 'green'), await incident('PL', 'green')];
    const camp = await call('PL', 'POST', '/api/v1/campaigns', {
      name: 'c',
      incidents: [theirs, ...mine],
      tlp: 'amber',
    });
    expect(camp.status, camp.body).toBe(201);
    const id = camp.json().id as string;
    expect((await call('LT', 'PATCH', `/api/v1/incidents/${theirs}`, { tlp: 'red' })).status).toBe(200);
    const stranger = `incident--${randomUUID()}`;
    const a = await call('PL', 'POST', `/api/v1/campaigns/${id}/split`, { incidents: [theirs], name: 'x' });
    const b = await call('PL', 'POST', `/api/v1/campaigns/${id}/split`, { incidents: [stranger], name: 'x' });
    expect(a.status).toBe(b.status);
    expect(neutral(a.body, theirs)).toBe(neutral(b.body, stranger));
    // Moving every incident the author can still read out would leave only the hidden one behind.
    expect((await call('PL', 'POST', `/api/v1/campaigns/${id}/split`, { incidents: mine, name: 'x' })).status).toBe(
      400,
    );
    expect((await call('PL', 'GET', `/api/v1/campaigns/${id}`)).json().incidents).toEqual([...mine].sort());
  });

  // A campaign's or response's related-to relationship is released to who read both ends when written; once the
  // incident is narrowed, its former readers see it withdrawn (link-withdrawal.service.ts), never still live.
  it('a campaign relationship is re-released when its member incident is narrowed ', async () => {
    const { call, incident } = await setup();
    const narrowed = await incident('PL', 'green');
    const camp = await call('PL', 'POST', '/api/v1/campaigns', {
      name: 'c',
      incidents: [narrowed, await incident('PL', 'green')],
      tlp: 'green',
    });
    expect(camp.status, camp.body).toBe(201);
    expect((await call('PL', 'PATCH', `/api/v1/incidents/${narrowed}`, { tlp: 'red' })).status).toBe(200);
    const rels = (await call('LT', 'GET', `${COLL}/objects/?match[type]=relationship&limit=500`)).json()
      .objects as Array<{ target_ref: string; revoked?: boolean }>;
    expect(rels.filter((r) => r.target_ref === narrowed && r.revoked !== true)).toEqual([]);
  });

  it('a response link is re-released when its target incident is narrowed ', async () => {
    const { call, incident } = await setup();
    const narrowed = await incident('PL', 'green');
    expect(
      (
        await call('PL', 'POST', '/api/v1/responses', {
          title: 'r',
          target: narrowed,
          courseOfAction: { name: 'block' },
          participants: ['PL'],
          tlp: 'green',
        })
      ).status,
    ).toBe(201);
    expect((await call('PL', 'PATCH', `/api/v1/incidents/${narrowed}`, { tlp: 'red' })).status).toBe(200);
    const rels = (await call('LT', 'GET', `${COLL}/objects/?match[type]=relationship&limit=500`)).json()
      .objects as Array<{ target_ref: string; revoked?: boolean }>;
    expect(rels.filter((r) => r.target_ref === narrowed && r.revoked !== true)).toEqual([]);
  });

  it('an incident update that does not narrow it leaves its campaign and response links live', async () => {
    const { call, incident } = await setup();
    const inc = await incident('PL', 'green');
    expect(
      (
        await call('PL', 'POST', '/api/v1/campaigns', {
          name: 'c',
          incidents: [inc, await incident('PL', 'green')],
          tlp: 'green',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('PL', 'POST', '/api/v1/responses', {
          title: 'r',
          target: inc,
          courseOfAction: { name: 'block' },
          participants: ['PL'],
          tlp: 'green',
        })
      ).status,
    ).toBe(201);
    const links = async () =>
      (
        (await call('LT', 'GET', `${COLL}/objects/?match[type]=relationship&limit=500`)).json().objects as Array<{
          id: string;
          target_ref: string;
          modified: string;
          revoked?: boolean;
        }>
      ).filter((r) => r.target_ref === inc);
    const before = await links();
    expect(before).toHaveLength(2);
    expect((await call('PL', 'PATCH', `/api/v1/incidents/${inc}`, { title: 'renamed', tlp: 'clear' })).status).toBe(
      200,
    );
    expect(await links()).toEqual(before);
  });

  it('a link narrowed for some of its readers is withdrawn from all of them, and written again when the campaign is', async () => {
    const { call, incident } = await setup();
    const inc = await incident('PL', 'green');
    const camp = await call('PL', 'POST', '/api/v1/campaigns', {
      name: 'c',
      incidents: [inc, await incident('PL', 'green')],
      tlp: 'green',
    });
    const id = camp.json().id as string;
    expect((await call('PL', 'PATCH', `/api/v1/incidents/${inc}`, { tlp: 'amber', audience: ['LT'] })).status).toBe(
      200,
    );
    const link = async (org: 'LT' | 'DE') =>
      (
        (await call(org, 'GET', `${COLL}/objects/?match[type]=relationship&limit=500`)).json().objects as Array<{
          source_ref: string;
          target_ref: string;
          revoked?: boolean;
        }>
      ).filter((r) => r.source_ref === id && r.target_ref === inc);
    // DE read it before and reads it no more; LT still reads both ends.
    expect(await link('DE')).toMatchObject([{ revoked: true }]);
    expect(await link('LT')).toMatchObject([{ revoked: true }]);
    // The campaign's next version links it again, released to the readers of both ends only.
    expect((await call('PL', 'PATCH', `/api/v1/campaigns/${id}`, { name: 'c2' })).status).toBe(200);
    expect(await link('LT')).toEqual([expect.not.objectContaining({ revoked: true })]);
    expect(await link('DE')).toEqual([]);
  });

  it("re-releasing an incident revokes its old children under the old audience, not the new one's", async () => {
    const { call } = await setup();
    const r = await call('PL', 'POST', '/api/v1/incidents', {
      title: 't',
      description: 'd',
      category: 'cyber',
      occurredAt: '2026-01-05T00:00:00Z',
      affectedMembers: ['PL'],
      tlp: 'amber',
      audience: ['DE'],
      observables: [{ type: 'ipv4-addr', value: '10.9.9.9' }],
    });
    expect(r.status, r.body).toBe(201);
    const id = r.json().id as string;
    expect((await call('PL', 'PATCH', `/api/v1/incidents/${id}`, { tlp: 'amber+strict', audience: null })).status).toBe(
      200,
    );
    const seen = (await call('LT', 'GET', `${COLL}/objects/?limit=1000`)).body;
    expect(seen).not.toContain(id);
    expect(seen).not.toContain('10.9.9.9');
  });

  it("rewriting a campaign never copies a hidden member incident's current state into the STIX campaign", async () => {
    const { call, incident } = await setup();
    const theirs = await incident('LT', 'green');
    const mine = await incident('PL', 'green');
    const camp = await call('PL', 'POST', '/api/v1/campaigns', { name: 'c', incidents: [theirs, mine], tlp: 'green' });
    expect(camp.status, camp.body).toBe(201);
    const id = camp.json().id as string;
    expect(
      (await call('LT', 'PATCH', `/api/v1/incidents/${theirs}`, { tlp: 'red', occurredAt: '2020-02-02T00:00:00Z' }))
        .status,
    ).toBe(200);
    expect((await call('PL', 'PATCH', `/api/v1/campaigns/${id}`, { name: 'renamed' })).status).toBe(200);
    const stix = (await call('PL', 'GET', `${COLL}/objects/${id}/`)).json().objects as Array<{
      name: string;
      first_seen: string;
    }>;
    expect(stix).toMatchObject([{ name: 'renamed' }]);
    expect(JSON.stringify(stix[0])).not.toContain('2020-02-02');
  });

  it('a TAXII write never compares itself with a hidden object (no duplicate/different content oracle)', async () => {
    const { call } = await setup();
    const t = '2026-01-01T00:00:00.000Z';
    const malware = (id: string, name: string, tlp: Tlp) => ({
      type: 'malware',
      spec_version: '2.1',
      id,
      created: t,
      modified: t,
      name,
      is_family: false,
      object_marking_refs: [TLP2_MARKING_IDS[tlp]],
    });
    const post = async (org: 'PL' | 'LT', obj: object) =>
      (await call(org, 'POST', `${COLL}/objects/`, { objects: [obj] }, TAXII)).json() as {
        success_count: number;
        failures?: Array<{ message: string }>;
        successes?: Array<{ message?: string }>;
      };
    const red = `malware--${randomUUID()}`;
    const written = await post('LT', malware(red, 'secret name', 'red'));
    expect(written.success_count).toBe(1);
    const statusUrl = `/taxii2/alliance/status/${(written as { id?: string }).id ?? ''}/`;
    expect((await call('LT', 'GET', statusUrl)).status).toBe(200);
    expect((await call('PL', 'GET', statusUrl)).status).toBe(404);
    expect((await call('PL', 'GET', `${COLL}/objects/${red}/`)).status).toBe(404);
    const same = await post('PL', malware(red, 'secret name', 'red'));
    const other = await post('PL', malware(red, 'guess', 'red'));
    expect(same.success_count, JSON.stringify(same)).toBe(0);
    expect(same.failures).toEqual(other.failures);
    // A readable object still reports duplicates as before.
    const green = `malware--${randomUUID()}`;
    expect((await post('LT', malware(green, 'public', 'green'))).success_count).toBe(1);
    expect((await post('PL', malware(green, 'public', 'green'))).successes).toMatchObject([
      { message: 'duplicate of a stored object' },
    ]);
  });
});

describe('regressions: common values', () => {
  it('are chosen and ordered by what the reader may read, never by totals that include hidden incidents', async () => {
    {
      const srv = (server = await testServer({ env: { BULWARK_COMMON_VALUE_THRESHOLD: '1' } }));
      const tok = { PL: await srv.token('PL'), LT: await srv.token('LT') };
      const report = async (org: keyof typeof tok, tlp: Tlp, value: string) => {
        const r = await srv.app.inject({
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { authorization: `Bearer ${tok[org]}` },
          payload: {
            title: 't',
            description: 'd',
            category: 'cyber',
            occurredAt: '2026-01-05T00:00:00Z',
            affectedMembers: ['PL'],
            tlp,
            observables: [{ type: 'domain-name', value }],
          },
        });
        expect(r.statusCode, r.body).toBe(201);
      };
      for (let i = 0; i < 4; i++) await report('LT', 'red', 'hidden-heavy.example');
      await report('PL', 'red', 'hidden-heavy.example');
      for (let i = 0; i < 3; i++) await report('PL', 'red', 'visible.example');
      const items = (
        await srv.app.inject({ url: '/api/v1/intel/common-values', headers: { authorization: `Bearer ${tok.PL}` } })
      ).json<{ items: Array<{ value: string; visibleIncidents: number }> }>().items;
      // hidden-heavy is carried by 5 incidents but PL reads one: listing it would tell PL of the 4 hidden ones.
      expect(items).toEqual([{ type: 'domain-name', value: 'visible.example', visibleIncidents: 3 }]);
    }
  });
});
