import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import { DomainError, conflict, forbidden, notFound, validation } from '../../platform/errors.ts';
import { appendToOutbox, type EventNotifier } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../sharing/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { decodeAudience, encodeAudience } from '../sharing/releasability.policy.ts';
import type { Tlp } from '../sharing/tlp.ts';
import { toReleasable, type KnowledgeService } from '../knowledge/knowledge.service.ts';
import { campaignLinkId, linkReleasability, responseLinkId } from './correlation.ts';
import { withdrawStaleLinks } from './link-withdrawal.service.ts';
import { bandKeys, encodeSignature, minhash } from './fingerprint.ts';
import { incidentObjects, incidentOfStix, isoWeek, nextModified, stixTime, type Incident, type IncidentFields, type ObservableInput } from './incident.ts';
import type { CreateIncidentInput, ListIncidentsQueryT, PatchIncidentInput } from './incident.schema.ts';
import type { IndexedNarrative, IndexedValue, IntelRepository } from './intel.repository.ts';
import { normaliseName, normaliseObservable } from './observable.ts';
import type { CorrelationService } from './correlation.service.ts';

export interface IncidentDeps {
  repo: IntelRepository;
  knowledge: KnowledgeService;
  clock: Clock;
  log: Logger;
  notifier: EventNotifier;
  correlation: CorrelationService;
}

const ORG_CODES = new Set(ORGANISATIONS.map((o) => o.code));
type Normalised = ObservableInput & { norm: string };

/** Incident use cases: every version's STIX objects, index rows and outbox event commit together. */
export class IncidentService {
  private readonly db: Kysely<Schema>;
  constructor(private readonly d: IncidentDeps) {
    this.db = d.repo.db;
  }

  async report(actor: UserActor, input: CreateIncidentInput): Promise<Incident> {
    const fields = await this.check(actor, toFields(input));
    const now = stixTime(this.d.clock.now());
    const inc: Incident = { ...fields, id: `incident--${randomUUID()}`, author: actor.org, created: now, modified: now };
    await this.write(actor, inc, 'incident.created');
    return inc;
  }

  async update(actor: UserActor, id: string, patch: PatchIncidentInput): Promise<Incident> {
    const prev = await this.get(actor, id);
    if (prev.author !== actor.org) throw forbidden(`only the author organisation (${prev.author}) may change this incident`);
    const { audience, ...rest } = stripUndefined(patch);
    const merged = toFields({ ...prev, ...rest, audience: audience === null ? [] : (audience ?? prev.audience) });
    const fields = await this.check(actor, merged);
    const modified = nextModified(this.d.clock.now(), prev.modified);
    const inc: Incident = { ...fields, id, author: prev.author, created: prev.created, modified };
    await this.write(actor, inc, 'incident.updated', prev);
    return inc;
  }

  /** The latest version the actor may read; hidden and missing are both 404. */
  async get(actor: Actor, id: string): Promise<Incident> {
    const { object, meta } = await this.d.knowledge.get(actor, id);
    const inc = incidentOfStix(object, meta.author, meta.tlp as Tlp, meta.audience);
    if (!inc) throw notFound(`incident ${id}`);
    return inc;
  }

  /** Every stored version, oldest first. */
  async history(actor: Actor, id: string): Promise<Incident[]> {
    await this.get(actor, id);
    const rows = await this.d.knowledge.list({ reader: readerOf(actor), scope: { kind: 'all' }, ids: [id], versions: ['all'] });
    return rows
      .map((r) => incidentOfStix(JSON.parse(r.json) as Record<string, unknown>, r.author, r.tlp as Tlp, decodeAudience(r.audience)))
      .filter((x): x is Incident => x !== undefined)
      .sort((a, b) => a.modified.localeCompare(b.modified));
  }

  async list(actor: Actor, q: ListIncidentsQueryT): Promise<{ items: Incident[]; next: string | null }> {
    const reader = readerOf(actor);
    const rows = await this.d.repo.list(reader, { category: q.category, member: q.member, since: q.since && new Date(q.since).toISOString(), limit: q.limit + 1, after: decodeCursor(q.cursor) });
    const page = rows.slice(0, q.limit);
    // An empty id list means "no id filter" to the store: an empty page must not read it whole.
    if (page.length === 0) return { items: [], next: null };
    const objs = await this.d.knowledge.list({ reader, scope: { kind: 'all' }, ids: page.map((r) => r.id) });
    const byId = new Map(objs.map((o) => [o.id, o]));
    const items = page
      .map((r) => byId.get(r.id))
      .filter((o) => o !== undefined)
      .map((o) => incidentOfStix(JSON.parse(o.json) as Record<string, unknown>, o.author, o.tlp as Tlp, decodeAudience(o.audience)))
      .filter((x): x is Incident => x !== undefined);
    const last = page[page.length - 1];
    return { items, next: rows.length > q.limit && last ? encodeCursor(last.occurred_at, last.id) : null };
  }

  /** Links of an incident to others the reader may also read; nothing about hidden ones. */
  async correlations(actor: Actor, id: string): Promise<Array<{ id: string; score: number; reasons: string[]; updatedAt: string }>> {
    await this.get(actor, id);
    const links = await this.d.repo.readableLinks(readerOf(actor), id);
    return links.map((l) => ({ id: l.a === id ? l.b : l.a, score: l.score, reasons: JSON.parse(l.reasons) as string[], updatedAt: l.updated_at }));
  }

  private async check(actor: Actor, f: IncidentFields): Promise<IncidentFields> {
    f.affectedMembers.forEach((m, i) => {
      if (!ORG_CODES.has(m)) throw validation(`affectedMembers[${i}]`, `no organisation with code ${m}; see GET /api/v1/members`);
    });
    f.audience.forEach((m, i) => {
      if (!ORG_CODES.has(m)) throw validation(`audience[${i}]`, `no organisation with code ${m}; see GET /api/v1/members`);
    });
    for (const [i, ttp] of f.ttps.entries()) {
      if (!ttp.startsWith('attack-pattern--')) throw validation(`ttps[${i}]`, 'must be an attack-pattern id (see GET /api/v1/ttps)');
      if (!(await this.d.knowledge.find(actor, ttp))) throw validation(`ttps[${i}]`, `no attack pattern ${ttp} that you may read`);
    }
    return f;
  }

  private async write(actor: UserActor, inc: Incident, event: 'incident.created' | 'incident.updated', prev?: Incident): Promise<void> {
    const norm = normaliseAll(inc.observables);
    const plan = incidentObjects(inc, norm, prev ? { incident: prev, normalised: normaliseAll(prev.observables) } : undefined);
    await this.db.transaction().execute(async (trx) => {
      // Revoked children of the previous version keep that version's release (its audience too), never the new one's.
      const ingest = async (objects: Record<string, unknown>[], rel: { tlp: Tlp; audience: string[] }) =>
        (await this.d.knowledge.ingestWithin(trx, actor, objects.map((value, index) => ({ index, value })), { defaultTlp: rel.tlp, audience: rel.audience })).rejected;
      const rejected = [...(await ingest(plan.objects.filter((o) => o.revoked !== true), inc)), ...(prev ? await ingest(plan.objects.filter((o) => o.revoked === true), prev) : [])];
      if (rejected.length > 0) {
        if (prev && rejected.some((r) => r.id === inc.id)) throw conflict(`incident ${inc.id} changed meanwhile; reload and retry`);
        throw new DomainError('unprocessable', `the incident's STIX objects were rejected: ${rejected[0]!.message}`, undefined, rejected.map((r) => ({ message: r.message, ...(r.id ? { objectId: r.id } : {}) })));
      }
      // Campaign and response links to it were released to who read it then: those who no longer may see them
      // withdrawn. Only a change of release can make a link stale; other edits skip the look-ups.
      const released = prev && (prev.tlp !== inc.tlp || encodeAudience(prev.audience) !== encodeAudience(inc.audience));
      if (released) await withdrawStaleLinks(trx, this.d.knowledge, this.d.clock, await this.linksTo(trx, inc));
      await this.index(trx, inc, norm);
      await appendToOutbox(trx, [{ event, objectId: inc.id, author: inc.author, tlp: inc.tlp, audience: inc.audience, payload: eventPayload(inc) }], inc.modified);
    });
    this.d.notifier.nudge();
    await this.d.correlation.correlate(inc.id).catch((e: unknown) => this.d.log.error({ err: e, incident: inc.id }, 'correlation failed; it is retried at the next start'));
  }

  /** The campaign and response links to the incident, each with the releasability it may have now. */
  private async linksTo(trx: Transaction<Schema>, inc: Incident) {
    const campaigns = await this.d.repo.campaignsHolding(trx, inc.id);
    const responses = await this.d.repo.responsesAt(trx, inc.id);
    return [
      ...campaigns.map((c) => ({ id: campaignLinkId(c.id, inc.id), allowed: linkReleasability(toReleasable(c), inc) })),
      ...responses.map((r) => ({ id: responseLinkId(r.id, inc.id), allowed: linkReleasability(toReleasable(r), inc) })),
    ];
  }

  private async index(trx: Transaction<Schema>, inc: Incident, norm: readonly Normalised[]): Promise<void> {
    const values: IndexedValue[] = norm.filter((o) => o.type !== 'narrative').map((o) => ({ kind: o.type, norm: o.norm, value: o.value }));
    if (inc.actor) values.push({ kind: 'actor', norm: normaliseName(inc.actor.name), value: inc.actor.name });
    for (const t of new Set(inc.ttps)) values.push({ kind: 'ttp', norm: t, value: t });
    const narratives: IndexedNarrative[] = [];
    inc.narratives.forEach((text, idx) => {
      const sig = minhash(text);
      if (sig) narratives.push({ idx, text, signature: encodeSignature(sig), bands: bandKeys(sig) });
    });
    await this.d.repo.writeIndex(trx, {
      id: inc.id, author: inc.author, tlp: inc.tlp, audience: encodeAudience(inc.audience), category: inc.category, title: inc.title,
      occurred_at: inc.occurredAt, iso_week: isoWeek(inc.occurredAt), lat: inc.location?.lat ?? null, lon: inc.location?.lon ?? null,
      members: encodeAudience(inc.affectedMembers), actor: inc.actor ? normaliseName(inc.actor.name) : null, created_at: inc.created, modified: inc.modified, pending: 1,
    }, [...new Set(inc.affectedMembers)], dedupe(values), narratives);
  }
}

export function eventPayload(inc: Incident): Record<string, unknown> {
  return { title: inc.title, category: inc.category, affectedMembers: inc.affectedMembers, occurredAt: inc.occurredAt, location: inc.location, modified: inc.modified };
}

function dedupe(values: IndexedValue[]): IndexedValue[] {
  const seen = new Map<string, IndexedValue>();
  for (const v of values) if (!seen.has(`${v.kind}\u0000${v.norm}`)) seen.set(`${v.kind}\u0000${v.norm}`, v);
  return [...seen.values()];
}

function normaliseAll(obs: readonly ObservableInput[]): Normalised[] {
  return obs.map((o, i) => {
    const n = normaliseObservable(o.type, o.value);
    if (!n.ok) throw validation(`observables[${i}].value`, n.message);
    return { ...o, norm: n.value };
  });
}

/** Request body → domain fields; narrative observables join the narratives. */
export function toFields(i: CreateIncidentInput): IncidentFields {
  const obs = i.observables ?? [];
  const narratives = [...(i.narratives ?? []), ...obs.filter((o) => o.type === 'narrative').map((o) => o.value)];
  const norm = normaliseAll(obs.filter((o) => o.type !== 'narrative'));
  return {
    title: i.title, description: i.description, category: i.category, occurredAt: new Date(i.occurredAt).toISOString(), location: i.location ?? null,
    affectedMembers: [...new Set(i.affectedMembers)], observables: norm.map((o) => ({ type: o.type, value: o.value })),
    narratives: [...new Set(narratives.map((n) => (normaliseObservable('narrative', n) as { value: string }).value))],
    ttps: [...new Set(i.ttps ?? [])], actor: i.actor ?? null, reliability: i.reliability ?? null, credibility: i.credibility ?? null,
    tlp: i.tlp, audience: [...new Set(i.audience ?? [])].sort(),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function encodeCursor(occurredAt: string, id: string): string {
  return Buffer.from(JSON.stringify([occurredAt, id])).toString('base64url');
}

function decodeCursor(c: string | undefined): { occurredAt: string; id: string } | undefined {
  if (c === undefined || c === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && v[0].length < 40 && v[1].length < 300) return { occurredAt: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw validation('cursor', 'is not a cursor returned by this endpoint');
}
