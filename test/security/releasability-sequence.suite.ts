import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testServer, type TestServer } from '../server.ts';
import type { TestDatabase } from '../databases.ts';
import { systemActor } from '../../src/kernel/access/actor.ts';
import { ORGANISATIONS } from '../../src/contexts/sharing/organisations.ts';
import { canRead, type Reader, type Releasable } from '../../src/kernel/access/releasability.ts';
import { TLP2_MARKING_IDS, TLP_LEVELS, type Tlp } from '../../src/kernel/access/tlp.ts';
import { exportBundle } from '../../src/contexts/knowledge/knowledge.export.ts';

/**
 * A random sequence of writes by several organisations through REST (PATCH), TAXII (a new version
 * posted by the author) and import (the importer's write), narrowing and widening incidents, never
 * lets an organisation read, count, list, stream, export or infer anything outside the releasability
 * table: after each sequence every reader's views are compared with canRead over the latest releases.
 * A fresh in-process server per `it`; its sequences accumulate in it, and the model follows them all.
 * One test file per store (releasability-sequence.*.test.ts), so that the two run in parallel.
 */
const ORGS = ['PL', 'LT', 'EE', 'UA'] as const;
const AUTHORS = ['PL', 'LT', 'UA'] as const;
const KIND = new Map(ORGANISATIONS.map((o) => [o.code, o.kind]));
const readerOf = (org: string): Reader => ({ kind: 'org', org, orgKind: KIND.get(org)! });
const TAXII = 'application/taxii+json;version=2.1';
const COLL = '/taxii2/alliance/collections/alliance';
const SHARED = 'shared.sequence.example';
const THRESHOLD = 3;
const RUNS = 50;

type Path = 'rest' | 'taxii' | 'import';
interface Step {
  k: number;
  path: Path;
  tlp: Tlp;
  audience: string[];
}
const release = { tlp: fc.constantFrom(...TLP_LEVELS), audience: fc.subarray([...ORGS], { maxLength: 2 }) };
const caseArb = fc.record({
  authors: fc.tuple(fc.constantFrom(...AUTHORS), fc.constantFrom(...AUTHORS), fc.constantFrom(...AUTHORS)),
  first: fc.tuple(fc.record(release), fc.record(release), fc.record(release)),
  steps: fc.array(
    fc.record({
      k: fc.integer({ min: 0, max: 2 }),
      path: fc.constantFrom<Path>('rest', 'taxii', 'import'),
      ...release,
    }),
    { maxLength: 5 },
  ),
});
type Case = { authors: readonly string[]; first: ReadonlyArray<{ tlp: Tlp; audience: string[] }>; steps: Step[] };

interface World {
  s: TestServer;
  tokens: Map<string, string>;
  /** The latest release of every incident written so far, by id. */
  model: Map<string, Releasable>;
  n: number;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

export function sequenceSuite(tdb: TestDatabase): void {
  describe(`releasability over write sequences on ${tdb.name}`, () => {
    let w: World;
    beforeEach(async () => {
      const s = await testServer({ db: tdb });
      s.services.intel.correlation.settings.commonThreshold = THRESHOLD;
      const tokens = new Map<string, string>();
      for (const o of ORGS) tokens.set(o, await s.token(o));
      w = { s, tokens, model: new Map(), n: 0 };
    });
    afterEach(async () => w.s.close());

    const call = (org: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      w.s.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${w.tokens.get(org)!}`,
          ...(url.startsWith('/taxii2') ? { accept: TAXII } : {}),
          ...(payload && url.startsWith('/taxii2') ? { 'content-type': TAXII } : {}),
        },
        ...(payload ? { payload: url.startsWith('/taxii2') ? JSON.stringify(payload) : payload } : {}),
      });

    /** Writes one sequence; the model records each incident's release as the store holds it. */
    const run = async (c: Case): Promise<void> => {
      const n = ++w.n;
      const ids: string[] = [];
      for (let k = 0; k < 3; k++) {
        const author = c.authors[k]!;
        const f = c.first[k]!;
        const res = await call(author, 'POST', '/api/v1/incidents', {
          title: `seq ${n}.${k}`,
          description: '',
          category: 'cyber',
          occurredAt: `2026-02-0${k + 1}T10:00:00Z`,
          affectedMembers: ['EE'],
          tlp: f.tlp,
          ...(f.audience.length > 0 ? { audience: f.audience } : {}),
          observables: [
            { type: 'domain-name', value: SHARED },
            { type: 'domain-name', value: `c${n}.sequence.example` },
          ],
        });
        expect(res.statusCode, res.body).toBe(201);
        ids.push(res.json().id as string);
        w.model.set(ids[k]!, { author, tlp: f.tlp, audience: [...f.audience].sort() });
      }
      for (const st of c.steps) {
        const id = ids[st.k]!;
        const prev = w.model.get(id)!;
        const author = prev.author;
        if (st.path === 'rest') {
          const res = await call(author, 'PATCH', `/api/v1/incidents/${id}`, {
            tlp: st.tlp,
            ...(st.audience.length > 0 ? { audience: st.audience } : {}),
          });
          expect(res.statusCode, res.body).toBe(200);
          w.model.set(id, {
            author,
            tlp: st.tlp,
            audience: st.audience.length > 0 ? [...st.audience].sort() : prev.audience,
          });
          continue;
        }
        const o = (await w.s.services.knowledge.get(systemActor('test'), id)).object as { modified: string };
        const next = {
          ...o,
          modified: new Date(Date.parse(o.modified) + 1000).toISOString(),
          object_marking_refs: [TLP2_MARKING_IDS[st.tlp]],
        };
        if (st.path === 'taxii') {
          const res = await call(author, 'POST', `${COLL}/objects/`, { objects: [next] });
          expect(res.json().success_count, res.body).toBe(1);
          w.model.set(id, { author, tlp: st.tlp, audience: [] });
        } else {
          const k = w.s.services.knowledge;
          const report = await k.repo.db.transaction().execute((trx) =>
            k.ingestWithin(trx, systemActor('import'), [{ index: 0, value: next }], {
              asOrg: author,
              defaultTlp: 'amber',
              audience: st.audience,
            }),
          );
          expect(report.accepted, JSON.stringify(report)).toHaveLength(1);
          w.model.set(id, { author, tlp: st.tlp, audience: [...st.audience].sort() });
        }
      }
    };

    const readable = (org: string) =>
      sorted([...w.model].filter(([, r]) => canRead(readerOf(org), r)).map(([id]) => id));
    const known = (xs: Iterable<string>) => sorted([...xs].filter((id) => w.model.has(id)));
    const mentioned = (text: string) => [...w.model.keys()].filter((id) => text.includes(id));

    const property = (check: (org: string, vis: string[]) => Promise<void>) =>
      fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          await run(c);
          for (const org of ORGS) await check(org, readable(org));
        }),
        { numRuns: RUNS },
      );

    it(
      'gets, REST lists, TAXII lists and exports hold exactly what each reader may read',
      { timeout: 600_000 },
      async () => {
        await property(async (org, vis) => {
          const ctx = `reader ${org}`;
          expect(
            known(
              (await call(org, 'GET', '/api/v1/incidents?limit=500')).json().items.map((i: { id: string }) => i.id),
            ),
            ctx,
          ).toEqual(vis);
          const overTaxii = (await call(org, 'GET', `${COLL}/objects/?match[type]=incident&limit=1000`)).json()
            .objects as Array<{ id: string }> | undefined;
          expect(known((overTaxii ?? []).map((o) => o.id)), ctx).toEqual(vis);
          let exported = '';
          for await (const chunk of exportBundle(w.s.services.knowledge, {
            reader: readerOf(org),
            types: ['incident'],
          }))
            exported += chunk.toString();
          expect(known(mentioned(exported)), ctx).toEqual(vis);
          const last = [...w.model.keys()].slice(-3);
          for (const id of last)
            expect((await call(org, 'GET', `/api/v1/incidents/${id}`)).statusCode, `${ctx} ${id}`).toBe(
              vis.includes(id) ? 200 : 404,
            );
        });
      },
    );

    it(
      'picture counts and common values are computed over what each reader may read',
      { timeout: 600_000 },
      async () => {
        await property(async (org, vis) => {
          const ctx = `reader ${org}`;
          const pic = (await call(org, 'GET', '/api/v1/picture?since=2026-01-01T00:00:00Z')).json();
          expect(pic.total, ctx).toBe(vis.length);
          expect(pic.byMember, ctx).toEqual(vis.length > 0 ? { EE: vis.length } : {});
          expect(
            pic.changedSince.incidents.every((i: { id: string }) => vis.includes(i.id)),
            ctx,
          ).toBe(true);
          const commons = (await call(org, 'GET', '/api/v1/intel/common-values')).json().items;
          expect(commons, ctx).toEqual(
            vis.length > THRESHOLD ? [{ type: 'domain-name', value: SHARED, visibleIncidents: vis.length }] : [],
          );
        });
      },
    );

    it(
      'correlations and suggested campaigns name only incidents the reader may read',
      { timeout: 600_000 },
      async () => {
        await property(async (org, vis) => {
          const ctx = `reader ${org}`;
          for (const id of vis.slice(-3)) {
            const links = (await call(org, 'GET', `/api/v1/incidents/${id}/correlations`)).json().items as Array<{
              id: string;
            }>;
            for (const l of links) expect(vis, ctx).toContain(l.id);
          }
          const camps = (await call(org, 'GET', '/api/v1/campaigns?limit=100')).body;
          for (const id of mentioned(camps)) expect(vis, ctx).toContain(id);
          const pic = (await call(org, 'GET', '/api/v1/picture')).body;
          for (const id of mentioned(pic)) expect(vis, ctx).toContain(id);
        });
      },
    );

    it('search hits, pivots and briefings hold only what each reader may read', { timeout: 600_000 }, async () => {
      await property(async (org, vis) => {
        const ctx = `reader ${org}`;
        // Every incident's title starts "seq": whatever a search finds must be readable.
        const hits = (await call(org, 'GET', '/api/v1/search?q=seq&limit=50')).json().items as Array<{ id: string }>;
        for (const h of hits) expect(vis, ctx).toContain(h.id);
        const pivot = (await call(org, 'GET', `/api/v1/search/pivot?type=domain-name&value=${SHARED}`)).json()
          .items as Array<{ id: string }>;
        expect(known(pivot.map((i) => i.id)), ctx).toEqual(vis);
        const made = await call(org, 'POST', '/api/v1/briefings', {
          from: '2026-01-01',
          to: '2026-03-01',
          format: 'markdown',
        });
        expect(made.statusCode, made.body).toBe(201);
        const md = (await call(org, 'GET', `/api/v1/briefings/${made.json().id as string}?format=markdown`)).body;
        expect(md, ctx).toContain(`${vis.length} incidents in the period`);
        for (const id of mentioned(md)) expect(vis, ctx).toContain(id);
      });
    });

    it(
      'a replay of the stream from the start names only incidents the reader may read now',
      { timeout: 600_000 },
      async () => {
        await property(async (org, vis) => {
          await w.s.services.events.relay.flush();
          const events = await w.s.services.events.outbox.replay(readerOf(org), 0, undefined, 100_000);
          for (const e of events)
            for (const id of mentioned(`${e.objectId} ${e.payload}`))
              expect(vis, `reader ${org}, ${e.event}`).toContain(id);
        });
      },
    );
  });
}
