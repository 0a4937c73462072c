import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import { DomainError, conflict, forbidden, notFound, validation } from '../../platform/errors.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { decodeAudience } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import type { StoredRow } from '../knowledge/knowledge.repository.ts';
import { ChildIds } from './child-ids.repository.ts';
import {
  exportName,
  incidentCsv,
  mispEvent,
  stixBundle,
  type ExportFile,
  type ExportFormat,
} from './incident-export.ts';
import {
  childKeys,
  incidentObjects,
  incidentOfStix,
  nextModified,
  stixTime,
  type Incident,
  type IncidentFields,
  type ObservableInput,
} from './incident.ts';
import type { CreateIncidentInput, ListIncidentsQueryT, PatchIncidentInput } from './incident.schema.ts';
import type { IntelRepository } from './intel.repository.ts';
import { normaliseObservable } from './observable.ts';
import type { CorrelationService } from './correlation.service.ts';
import { GroupCommit } from '../../platform/db/group-commit.ts';

export interface IncidentDeps {
  repo: IntelRepository;
  knowledge: KnowledgeService;
  clock: Clock;
  log: Logger;
  notifier: EventNotifier;
  correlation: CorrelationService;
  /** Reports and edits share transactions (group commit); default: one of its own over repo.db. */
  writes?: GroupCommit;
}

const ORG_CODES = new Set(ORGANISATIONS.map((o) => o.code));
/** Versions parsed at a time when reading an incident's history. */
export const HISTORY_CHUNK = 32;
type Normalised = ObservableInput & { norm: string };

/** Incident use cases: every version's STIX objects, index rows and outbox event commit together. */
export class IncidentService {
  private readonly writes: GroupCommit;
  constructor(private readonly d: IncidentDeps) {
    this.writes = d.writes ?? new GroupCommit(d.repo.db);
  }

  /**
   * Seconds a new report should wait before it comes back, when reports already wait `maxWaitMs` or more: for
   * their transaction, or for correlation (a report is answered once correlated).
   */
  refusal(maxWaitMs: number): number | undefined {
    const write = this.writes.refusal(maxWaitMs);
    // Every report waiting for its transaction is then correlated before a new one.
    const correlate = this.d.correlation.refusal(maxWaitMs, this.writes.queued);
    return write === undefined ? correlate : correlate === undefined ? write : Math.max(write, correlate);
  }

  async report(actor: UserActor, input: CreateIncidentInput): Promise<Incident> {
    const fields = await this.check(actor, toFields(input));
    const now = stixTime(this.d.clock.now());
    const inc: Incident = {
      ...fields,
      id: `incident--${randomUUID()}`,
      author: actor.org,
      created: now,
      modified: now,
    };
    await this.write(actor, inc);
    return inc;
  }

  async update(actor: UserActor, id: string, patch: PatchIncidentInput): Promise<Incident> {
    const prev = await this.get(actor, id);
    if (prev.author !== actor.org)
      throw forbidden(`only the author organisation (${prev.author}) may change this incident`);
    const { audience, ...rest } = stripUndefined(patch);
    const merged = toFields({ ...prev, ...rest, audience: audience === null ? [] : (audience ?? prev.audience) });
    const fields = await this.check(actor, merged);
    const modified = nextModified(this.d.clock.now(), prev.modified);
    const inc: Incident = { ...fields, id, author: prev.author, created: prev.created, modified };
    await this.write(actor, inc, prev);
    return inc;
  }

  /** The latest version the actor may read; hidden and missing are both 404. */
  async get(actor: Actor, id: string): Promise<Incident> {
    const { object, meta } = await this.d.knowledge.get(actor, id);
    const inc = incidentOfStix(object, meta.author, meta.tlp as Tlp, meta.audience);
    if (!inc) throw notFound(`incident ${id}`);
    return inc;
  }

  /**
   * The incident as a file for another tool (STIX bundle, MISP event, CSV), built from the version the
   * reader may read: a reader who may not read it gets the same 404 as from `get`.
   */
  async exportOf(actor: Actor, id: string, format: ExportFormat): Promise<ExportFile> {
    const inc = await this.get(actor, id);
    if (format === 'misp')
      return {
        contentType: 'application/json',
        filename: exportName(inc, 'misp.json'),
        body: JSON.stringify(mispEvent(inc), null, 2),
      };
    if (format === 'csv')
      return { contentType: 'text/csv; charset=utf-8', filename: exportName(inc, 'csv'), body: incidentCsv(inc) };
    // the same objects the store holds for this version: children keep the ids they were stored under
    const norm = normaliseAll(inc.observables);
    const children = new ChildIds(this.d.repo.db);
    const ids = new Map<string, string>();
    for (const k of childKeys(inc, norm)) ids.set(k.key, (await children.find(inc.id, k.key, k.legacy)) ?? k.legacy);
    const plan = incidentObjects(inc, norm, (c) => ids.get(c.key) ?? c.legacy);
    return {
      contentType: 'application/stix+json;version=2.1',
      filename: exportName(inc, 'stix.json'),
      body: JSON.stringify(stixBundle(plan.objects, `bundle--${randomUUID()}`), null, 2),
    };
  }

  /**
   * The newest `limit` versions the reader may read, oldest first, and how many older ones were left out.
   * Versions are read a chunk at a time, so an incident edited many times costs a bounded amount of memory.
   */
  async history(actor: Actor, id: string, limit = 100): Promise<{ items: Incident[]; olderVersions: number }> {
    await this.get(actor, id);
    const kept: StoredRow[] = [];
    let older = 0;
    const query = { reader: readerOf(actor), scope: { kind: 'all' as const }, ids: [id], versions: ['all' as const] };
    for await (const rows of this.d.knowledge.scan(query, HISTORY_CHUNK)) {
      kept.push(...rows);
      if (kept.length > limit) older += kept.splice(0, kept.length - limit).length;
    }
    const items = kept
      .map((r) =>
        incidentOfStix(
          JSON.parse(r.json) as Record<string, unknown>,
          r.author,
          r.tlp as Tlp,
          decodeAudience(r.audience),
        ),
      )
      .filter((x): x is Incident => x !== undefined)
      .sort((a, b) => a.modified.localeCompare(b.modified));
    return { items, olderVersions: older };
  }

  async list(actor: Actor, q: ListIncidentsQueryT): Promise<{ items: Incident[]; next: string | null }> {
    const reader = readerOf(actor);
    const rows = await this.d.repo.list(reader, {
      category: q.category,
      member: q.member,
      since: q.since && new Date(q.since).toISOString(),
      limit: q.limit + 1,
      after: decodeCursor(q.cursor),
    });
    const page = rows.slice(0, q.limit);
    // An empty id list means "no id filter" to the store: an empty page must not read it whole.
    if (page.length === 0) return { items: [], next: null };
    const objs = await this.d.knowledge.list({ reader, scope: { kind: 'all' }, ids: page.map((r) => r.id) });
    const byId = new Map(objs.map((o) => [o.id, o]));
    const items = page
      .map((r) => byId.get(r.id))
      .filter((o) => o !== undefined)
      .map((o) =>
        incidentOfStix(
          JSON.parse(o.json) as Record<string, unknown>,
          o.author,
          o.tlp as Tlp,
          decodeAudience(o.audience),
        ),
      )
      .filter((x): x is Incident => x !== undefined);
    const last = page[page.length - 1];
    return { items, next: rows.length > q.limit && last ? encodeCursor(last.occurred_at, last.id) : null };
  }

  /** Links of an incident to others the reader may also read; nothing about hidden ones. */
  async correlations(
    actor: Actor,
    id: string,
  ): Promise<Array<{ id: string; score: number; reasons: string[]; updatedAt: string }>> {
    await this.get(actor, id);
    const links = await this.d.repo.readableLinks(readerOf(actor), id);
    return links.map((l) => ({
      id: l.a === id ? l.b : l.a,
      score: l.score,
      reasons: JSON.parse(l.reasons) as string[],
      updatedAt: l.updated_at,
    }));
  }

  private async check(actor: Actor, f: IncidentFields): Promise<IncidentFields> {
    f.affectedMembers.forEach((m, i) => {
      if (!ORG_CODES.has(m))
        throw validation(`affectedMembers[${i}]`, `no organisation with code ${m}; see GET /api/v1/members`);
    });
    f.audience.forEach((m, i) => {
      if (!ORG_CODES.has(m))
        throw validation(`audience[${i}]`, `no organisation with code ${m}; see GET /api/v1/members`);
    });
    for (const [i, ttp] of f.ttps.entries()) {
      if (!ttp.startsWith('attack-pattern--'))
        throw validation(`ttps[${i}]`, 'must be an attack-pattern id (see GET /api/v1/ttps)');
      if (!(await this.d.knowledge.find(actor, ttp)))
        throw validation(`ttps[${i}]`, `no attack pattern ${ttp} that you may read`);
    }
    return f;
  }

  private async write(actor: UserActor, inc: Incident, prev?: Incident): Promise<void> {
    const norm = normaliseAll(inc.observables);
    const previous = prev ? { incident: prev, normalised: normaliseAll(prev.observables) } : undefined;
    // Several reports share one transaction (each in a savepoint): answered once it committed.
    await this.writes.run(actor.userId, weightOf(inc), async (trx) => {
      // Children of the previous version stored before ids were random keep their name-based ids.
      const before = previous ? childKeys(previous.incident, previous.normalised) : [];
      const old = new Set(before.map((k) => k.key));
      const keys = [...before, ...childKeys(inc, norm)].map((k) => ({
        key: k.key,
        type: k.type,
        legacy: old.has(k.key) ? k.legacy : undefined,
      }));
      const children = new ChildIds(trx);
      // A new report's id was made random just now: it owns no children yet.
      const ids = await (prev ? children : children.created(inc.id)).ids(inc.id, keys);
      const plan = incidentObjects(inc, norm, (c) => ids.get(c.key)!, previous);
      // Revoked children of the previous version keep that version's release (its audience too), never the new one's.
      // The store tells intel's views of the new version (IntelViews: index, links, event), as for any other write path.
      const ingest = async (objects: Record<string, unknown>[], rel: { tlp: Tlp; audience: string[] }) =>
        (
          await this.d.knowledge.ingestWithin(
            trx,
            actor,
            objects.map((value, index) => ({ index, value })),
            { defaultTlp: rel.tlp, audience: rel.audience },
          )
        ).rejected;
      const rejected = [
        ...(await ingest(
          plan.objects.filter((o) => o.revoked !== true),
          inc,
        )),
        ...(prev
          ? await ingest(
              plan.objects.filter((o) => o.revoked === true),
              prev,
            )
          : []),
      ];
      if (rejected.length > 0) {
        if (prev && rejected.some((r) => r.id === inc.id))
          throw conflict(`incident ${inc.id} changed meanwhile; reload and retry`);
        throw new DomainError(
          'unprocessable',
          `the incident's STIX objects were rejected: ${rejected[0]!.message}`,
          undefined,
          rejected.map((r) => ({ message: r.message, ...(r.id ? { objectId: r.id } : {}) })),
        );
      }
    });
    this.d.notifier.nudge();
    // After the commit; reports committed meanwhile are correlated in the same transaction (CorrelationService).
    await this.d.correlation
      .correlate(inc.id)
      .catch((e: unknown) =>
        this.d.log.error({ err: e, incident: inc.id }, 'correlation failed; it is retried at the next start'),
      );
  }
}

/** About how many bytes a version's objects take: bounds how many reports share a transaction. */
function weightOf(inc: Incident): number {
  let n = 1024 + inc.title.length + inc.description.length;
  for (const o of inc.observables) n += 256 + o.value.length;
  for (const t of inc.narratives) n += 256 + t.length;
  return n;
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
    title: i.title,
    description: i.description,
    category: i.category,
    occurredAt: new Date(i.occurredAt).toISOString(),
    location: i.location ?? null,
    affectedMembers: [...new Set(i.affectedMembers)],
    observables: norm.map((o) => ({ type: o.type, value: o.value })),
    narratives: [...new Set(narratives.map((n) => (normaliseObservable('narrative', n) as { value: string }).value))],
    ttps: [...new Set(i.ttps ?? [])],
    actor: i.actor ?? null,
    reliability: i.reliability ?? null,
    credibility: i.credibility ?? null,
    tlp: i.tlp,
    audience: [...new Set(i.audience ?? [])].sort(),
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
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      v[0].length < 40 &&
      v[1].length < 300
    )
      return { occurredAt: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw validation('cursor', 'is not a cursor returned by this endpoint');
}
