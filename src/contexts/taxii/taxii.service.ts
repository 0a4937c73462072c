import { randomUUID } from 'node:crypto';
import { DomainError } from '../../platform/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor, UserActor } from '../../kernel/access/actor.ts';
import { readerOf, systemActor } from '../../kernel/access/actor.ts';
import { releaseExtensionObjects } from '../../kernel/access/outbound.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import type { ObjectQuery, VersionRow } from '../knowledge/knowledge.repository.ts';
import type { Framed } from '../../platform/db/framed.ts';

/** The author of what the store itself defines (as intel's extension definition). */
const STORE_AUTHOR = '--';

/** Room for `{"more":true,"next":"<date_added in µs>","objects":[` in front of a page's objects. */
const ENVELOPE_HEAD_ROOM = 96;
import type { StatusRecord, StatusRepository } from './status.repository.ts';
import { canReadCollection, canWriteCollection, findCollection, type CollectionDef } from './taxii.ts';
import type { TaxiiFilters } from './taxii.params.ts';

export interface Page {
  rows: VersionRow[];
  more: boolean;
  next: string | undefined;
}

/** A page of objects with their JSON already joined (the `objects` array of the envelope). */
export interface ObjectsPage {
  count: number;
  more: boolean;
  next: string | undefined;
  firstAdded: string | undefined;
  lastAdded: string | undefined;
  /** The objects' JSON and the envelope's closing `]}`, with room in front for its head. */
  json: Framed;
}

export class TaxiiService {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly statuses: StatusRepository,
    private readonly clock: Clock,
  ) {}

  /** Stores the definition of the release extension that objects leave with (outbound.ts), once, as TLP:CLEAR. */
  async start(): Promise<void> {
    const items = releaseExtensionObjects().map((value, index) => ({ index, value }));
    const report = await this.knowledge.ingest(systemActor('taxii'), items, {
      defaultTlp: 'clear',
      asOrg: STORE_AUTHOR,
    });
    if (report.rejected.length > 0)
      throw new Error(`release extension definition not stored: ${report.rejected.map((r) => r.message).join('; ')}`);
  }

  /** The collection, if it exists and the actor may read it (401 for anonymous on private ones). */
  readable(idOrAlias: string, actor: Actor | null): CollectionDef {
    const c = findCollection(idOrAlias);
    if (!c) throw new DomainError('not-found', `collection ${idOrAlias.slice(0, 60)} not found`);
    if (!canReadCollection(c, actor)) throw new DomainError('unauthenticated', 'this collection needs credentials');
    return c;
  }

  /** A page of versions (manifest, versions), without their JSON. One row past the limit tells whether there is more. */
  async page(c: CollectionDef, actor: Actor | null, f: TaxiiFilters, ids?: string[]): Promise<Page> {
    return paged(await this.knowledge.listVersions(query(c, actor, f, ids)), f.limit);
  }

  /**
   * A page of objects, their JSON joined for the envelope, each carrying the release it is held under
   * (outbound.ts). At most `limit` objects and PAGE_MAX_BYTES of them (TAXII 2.1, 3.4: a server may
   * return fewer objects than asked, with `more` and `next`); a single larger object comes alone.
   */
  async objects(c: CollectionDef, actor: Actor | null, f: TaxiiFilters, ids?: string[]): Promise<ObjectsPage> {
    const p = await this.knowledge.listJoined(query(c, actor, f, ids), f.limit, {
      room: ENVELOPE_HEAD_ROOM,
      suffix: ']}',
    });
    const next = p.more && p.last ? String(p.last.added_us) : undefined;
    return {
      count: p.count,
      more: p.more,
      next,
      firstAdded: p.first?.date_added,
      lastAdded: p.last?.date_added,
      json: p.json,
    };
  }

  /** Adds the objects of an envelope given as the request's bytes (parsed and validated by the knowledge store's preparer, off this thread). */
  async add(c: CollectionDef, actor: UserActor, envelope: Uint8Array): Promise<StatusRecord> {
    if (!canWriteCollection(c, actor))
      throw new DomainError('forbidden', `collection ${c.alias} is not writable for ${actor.org}`);
    const requestTimestamp = this.clock.now().toISOString();
    const report = await this.knowledge.ingest(actor, { envelope }, {});
    const status: StatusRecord = {
      id: randomUUID(),
      owner: actor.userId,
      status: 'complete',
      requestTimestamp,
      totalCount: report.total,
      successCount: report.accepted.length + report.duplicates.length,
      failureCount: report.rejected.length,
      pendingCount: 0,
      successes: [
        ...report.accepted.map((a) => ({
          index: a.index,
          id: a.id,
          version: a.version,
          message: undefined as string | undefined,
        })),
        ...report.duplicates.map((d) => ({
          index: d.index,
          id: d.id,
          version: d.version,
          message: 'duplicate of a stored object',
        })),
      ]
        .sort((a, b) => a.index - b.index)
        .map((s) => ({ id: s.id, version: s.version, ...(s.message ? { message: s.message } : {}) })),
      // status-details (4.3.1) require `version`: the object's modified/created when it has one, else
      // the request timestamp (the date_added the object would have had), never absent.
      failures: report.rejected.map((r) => ({
        id: r.id ?? `objects[${r.index}]`,
        version: r.version || requestTimestamp,
        message: r.message,
      })),
    };
    await this.statuses.save(status);
    return status;
  }

  async status(actor: UserActor, id: string): Promise<StatusRecord> {
    const s = await this.statuses.get(id, actor.userId);
    if (!s) throw new DomainError('not-found', `status ${id.slice(0, 60)} not found`);
    return s;
  }

  /** Deletes the matching versions (default `match[version]=last`, as for every endpoint taking it). */
  async remove(c: CollectionDef, actor: UserActor, id: string, f: TaxiiFilters): Promise<void> {
    if (!canWriteCollection(c, actor))
      throw new DomainError('forbidden', `collection ${c.alias} is not writable for ${actor.org}`);
    const n = await this.knowledge.remove(actor, {
      reader: readerOf(actor),
      scope: c.scope,
      ids: [id],
      versions: f.versions,
      specVersions: f.specVersions,
    });
    if (n === 0) throw new DomainError('not-found', `object ${id} not found`);
  }
}

function query(c: CollectionDef, actor: Actor | null, f: TaxiiFilters, ids: string[] | undefined): ObjectQuery {
  return {
    reader: readerOf(actor),
    scope: c.scope,
    ids: ids ?? f.ids,
    types: f.types,
    specVersions: f.specVersions,
    versions: f.versions,
    addedAfterUs: f.addedAfterUs,
    limit: f.limit + 1,
  };
}

/** The first `limit` rows (the query asked for one more, which tells whether there is more) and the cursor after them. */
function paged(rows: VersionRow[], limit: number): Page {
  const page = rows.slice(0, limit);
  const more = rows.length > limit;
  const last = page.at(-1);
  return { rows: page, more, next: more && last ? String(last.added_us) : undefined };
}
