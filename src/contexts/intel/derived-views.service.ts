import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { appendToOutbox } from '../../platform/events/outbox.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { decodeAudience, encodeAudience, type Releasable } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import {
  toReleasable,
  type KnowledgeService,
  type LatestChange,
  type LatestHook,
} from '../knowledge/knowledge.service.ts';
import { linkReleasability, NO_AUTHOR, readersOf } from './correlation.ts';
import { withdrawStaleLinks, type LinkCheck } from './link-withdrawal.service.ts';
import { bandKeys, encodeSignature, minhash } from './fingerprint.ts';
import { incidentOfStix, isoWeek, type Incident } from './incident.ts';
import { CreateIncidentBody } from './incident.schema.ts';
import { IntelRepository } from './intel.repository.ts';
import { removeIndex, writeIndex, type IndexedNarrative, type IndexedValue } from './intel-index.repository.ts';
import { ChildIds } from './child-ids.repository.ts';
import { normaliseName, normaliseObservable } from './observable.ts';

const ORG_CODES = new Set(ORGANISATIONS.map((o) => o.code));

/** The STIX types intel derives views from. */
export const DERIVED_FROM = ['incident', 'campaign', 'grouping'] as const;

/**
 * The one place that decides what a new latest version of an object intel derives from changes in
 * intel's views: the incident index (lists, counts, picture, correlations, suggested campaigns, common
 * values), the release of confirmed campaigns and responses, and the campaign and response links,
 * which are withdrawn from readers that may no longer read both ends. The knowledge store calls it
 * inside every write's transaction, whatever the path (REST, TAXII, import, deletion), so a narrowing
 * through TAXII hides what a narrowing through REST hides, and a widening shows what it shows.
 */
export class IntelViews {
  private readonly repo: IntelRepository;
  constructor(private readonly d: { db: Kysely<Schema>; knowledge: KnowledgeService; clock: Clock }) {
    this.repo = new IntelRepository(d.db);
  }

  async within(trx: Transaction<Schema>, changes: readonly LatestChange[]): Promise<void> {
    for (const c of changes) {
      if (c.type === 'incident') await this.incident(trx, c);
      else if (c.type === 'campaign') await this.campaign(trx, c);
      else if (c.type === 'grouping') await this.response(trx, c);
    }
  }

  private async incident(trx: Transaction<Schema>, c: LatestChange): Promise<void> {
    const prev = await this.repo.incident(trx, c.id);
    const inc = c.latest && presentable(c.latest);
    if (!inc) {
      // Deleted, revoked, or not one of Bulwark's incidents: no view shows it any more.
      if (!prev) return;
      await removeIndex(trx, c.id);
      await withdrawStaleLinks(trx, this.d.knowledge, this.d.clock, await this.linksTo(trx, c.id, undefined));
      await narrowPastEvents(trx, c.id, undefined, true);
      return;
    }
    const released =
      prev && (prev.author !== inc.author || prev.tlp !== inc.tlp || prev.audience !== encodeAudience(inc.audience));
    await this.index(trx, inc, prev === undefined);
    // Campaign and response links to it were released to who read it then: those who no longer may see them withdrawn.
    if (released) {
      await withdrawStaleLinks(trx, this.d.knowledge, this.d.clock, await this.linksTo(trx, inc.id, inc));
      await narrowPastEvents(trx, inc.id, inc, true);
    }
    await appendToOutbox(
      trx,
      [
        {
          event: prev ? 'incident.updated' : 'incident.created',
          objectId: inc.id,
          author: inc.author,
          tlp: inc.tlp,
          audience: inc.audience,
          payload: eventPayload(inc),
        },
      ],
      inc.modified,
    );
  }

  /** A confirmed campaign's new version (e.g. posted over TAXII by its author): its release, name and links follow. */
  private async campaign(trx: Transaction<Schema>, c: LatestChange): Promise<void> {
    const row = await trx.selectFrom('intel_campaigns').selectAll().where('id', '=', c.id).executeTakeFirst();
    if (!row) return;
    const obj =
      c.latest &&
      (JSON.parse(c.latest.json) as { name?: unknown; confidence?: unknown; modified?: unknown; revoked?: unknown });
    if (!c.latest || !obj || obj.revoked === true) {
      if (row.status === 'confirmed')
        await trx.updateTable('intel_campaigns').set({ status: 'withdrawn' }).where('id', '=', c.id).execute();
      return;
    }
    const rel = toReleasable(c.latest);
    const next = {
      tlp: rel.tlp,
      audience: encodeAudience(rel.audience),
      name: typeof obj.name === 'string' ? obj.name.slice(0, 200) : row.name,
      confidence:
        typeof obj.confidence === 'number' && Number.isInteger(obj.confidence) ? obj.confidence : row.confidence,
      modified: typeof obj.modified === 'string' ? obj.modified : row.modified,
    };
    await trx.updateTable('intel_campaigns').set(next).where('id', '=', c.id).execute();
    if (row.tlp === next.tlp && row.audience === next.audience) return;
    await narrowPastEvents(trx, c.id, rel, false);
    const members = (
      await trx.selectFrom('intel_campaign_incidents').select('incident_id').where('campaign_id', '=', c.id).execute()
    ).map((m) => m.incident_id);
    const ids = new ChildIds(trx);
    const links: LinkCheck[] = [];
    for (const r of await this.repo.incidents(members, trx)) {
      const id = await ids.find(c.id, `related-to|${r.id}`);
      if (id) links.push({ id, allowed: linkReleasability(rel, toReleasable(r)) });
    }
    await withdrawStaleLinks(trx, this.d.knowledge, this.d.clock, links);
  }

  /** A response's grouping in a new version: its release and title follow; its link to the target too. */
  private async response(trx: Transaction<Schema>, c: LatestChange): Promise<void> {
    const row = await trx.selectFrom('intel_responses').selectAll().where('id', '=', c.id).executeTakeFirst();
    if (!row) return;
    const obj = c.latest && (JSON.parse(c.latest.json) as { name?: unknown; revoked?: unknown });
    // A deleted or revoked grouping: the response is released to nobody but its author from now on.
    const rel: Releasable =
      c.latest && obj?.revoked !== true ? toReleasable(c.latest) : { author: row.author, tlp: 'red', audience: [] };
    const title = typeof obj?.name === 'string' ? obj.name.slice(0, 300) : row.title;
    await trx
      .updateTable('intel_responses')
      .set({ tlp: rel.tlp, audience: encodeAudience(rel.audience), title })
      .where('id', '=', c.id)
      .execute();
    if (row.tlp === rel.tlp && row.audience === encodeAudience(rel.audience)) return;
    await narrowPastEvents(trx, c.id, rel, false);
    const id = await new ChildIds(trx).find(c.id, `related-to|${row.target}`);
    if (!id) return;
    const target =
      (await this.repo.incident(trx, row.target)) ??
      (await trx.selectFrom('intel_campaigns').selectAll().where('id', '=', row.target).executeTakeFirst());
    await withdrawStaleLinks(trx, this.d.knowledge, this.d.clock, [
      { id, allowed: target ? linkReleasability(rel, toReleasable(target)) : undefined },
    ]);
  }

  /** The campaign and response links to an incident, each with the releasability it may have now. */
  private async linksTo(trx: Transaction<Schema>, incident: string, now: Releasable | undefined): Promise<LinkCheck[]> {
    const ids = new ChildIds(trx);
    const out: LinkCheck[] = [];
    for (const s of [
      ...(await this.repo.campaignsHolding(trx, incident)),
      ...(await this.repo.responsesAt(trx, incident)),
    ]) {
      const id = await ids.find(s.id, `related-to|${incident}`);
      if (id) out.push({ id, allowed: now ? linkReleasability(toReleasable(s), now) : undefined });
    }
    return out;
  }

  private async index(trx: Transaction<Schema>, inc: Incident, fresh: boolean): Promise<void> {
    const values: IndexedValue[] = [];
    for (const o of inc.observables) {
      if (o.type === 'narrative') continue;
      const n = normaliseObservable(o.type, o.value);
      if (n.ok) values.push({ kind: o.type, norm: n.value, value: o.value });
    }
    if (inc.actor) values.push({ kind: 'actor', norm: normaliseName(inc.actor.name), value: inc.actor.name });
    for (const t of new Set(inc.ttps)) values.push({ kind: 'ttp', norm: t, value: t });
    const narratives: IndexedNarrative[] = [];
    inc.narratives.forEach((text, idx) => {
      const sig = minhash(text);
      if (sig) narratives.push({ idx, text, signature: encodeSignature(sig), bands: bandKeys(sig) });
    });
    const members = [...new Set(inc.affectedMembers)].filter((m) => ORG_CODES.has(m));
    await writeIndex(
      trx,
      {
        id: inc.id,
        author: inc.author,
        tlp: inc.tlp,
        audience: encodeAudience(inc.audience),
        category: inc.category,
        title: inc.title,
        occurred_at: inc.occurredAt,
        iso_week: isoWeek(inc.occurredAt),
        lat: inc.location?.lat ?? null,
        lon: inc.location?.lon ?? null,
        members: encodeAudience(members),
        actor: inc.actor ? normaliseName(inc.actor.name) : null,
        created_at: inc.created,
        modified: inc.modified,
        pending: 1,
      },
      members,
      dedupe(values),
      narratives,
      fresh,
    );
  }
}

/**
 * Narrowing is retroactive for the events derived from an object too: an event about it (its own
 * `incident.*`, `campaign.updated`, `response.*`; with `links`, the `correlation.found` naming it) stays
 * on replay only for the organisations that may read the object now; widening never reopens one.
 * Each such event is re-released as TLP:RED to exactly the organisations that may read it both ways.
 * Narrowings are rare; finding the link events reads the outbox (which is pruned) once.
 */
async function narrowPastEvents(
  trx: Transaction<Schema>,
  id: string,
  now: Releasable | undefined,
  links: boolean,
): Promise<void> {
  const rows = await trx
    .selectFrom('outbox')
    .select(['seq', 'author', 'tlp', 'audience'])
    .where((eb) =>
      links
        ? eb.or([
            eb('object_id', '=', id),
            eb.and([eb('event', '=', 'correlation.found'), eb('payload', 'like', `%"${id}"%`)]),
          ])
        : eb('object_id', '=', id),
    )
    .execute();
  const allowed = new Set(now ? readersOf(now) : []);
  for (const r of rows) {
    const before = readersOf(toReleasable(r));
    if (before.every((o) => allowed.has(o))) continue;
    await trx
      .updateTable('outbox')
      .set({ author: NO_AUTHOR, tlp: 'red', audience: encodeAudience(before.filter((o) => allowed.has(o))) })
      .where('seq', '=', r.seq)
      .execute();
  }
}

/**
 * The incident a stored version presents, when it is one of Bulwark's and well formed (a version
 * posted over TAXII may carry anything in the extension); undefined otherwise, and when revoked.
 */
function presentable(v: NonNullable<LatestChange['latest']>): Incident | undefined {
  const obj = JSON.parse(v.json) as Record<string, unknown>;
  if (obj.revoked === true) return undefined;
  const inc = incidentOfStix(obj, v.author, v.tlp as Tlp, decodeAudience(v.audience));
  if (!inc) return undefined;
  const checked = CreateIncidentBody.safeParse({ ...inc, audience: undefined });
  if (!checked.success || typeof inc.created !== 'string' || typeof inc.modified !== 'string') return undefined;
  return { ...inc, occurredAt: new Date(inc.occurredAt).toISOString() };
}

export function eventPayload(inc: Incident): Record<string, unknown> {
  return {
    title: inc.title,
    category: inc.category,
    affectedMembers: inc.affectedMembers,
    occurredAt: inc.occurredAt,
    location: inc.location,
    modified: inc.modified,
  };
}

function dedupe(values: IndexedValue[]): IndexedValue[] {
  const seen = new Map<string, IndexedValue>();
  for (const v of values) if (!seen.has(`${v.kind}\u0000${v.norm}`)) seen.set(`${v.kind}\u0000${v.norm}`, v);
  return [...seen.values()];
}

/**
 * Registers intel's views with the store. `correlate` (the serving process) links incidents after the
 * write committed; without it (e.g. `bulwark import`) they stay pending and the next start links them.
 */
export function registerIntelViews(d: {
  db: Kysely<Schema>;
  knowledge: KnowledgeService;
  clock: Clock;
  correlate?: (ids: string[]) => Promise<void>;
}): IntelViews {
  const views = new IntelViews(d);
  const hook: LatestHook = {
    types: DERIVED_FROM,
    within: (trx, changes) => views.within(trx, changes),
    ...(d.correlate
      ? {
          after: (changes: readonly LatestChange[]) =>
            d.correlate!(changes.filter((c) => c.type === 'incident').map((c) => c.id)),
        }
      : {}),
  };
  d.knowledge.onLatest(hook);
  return views;
}
