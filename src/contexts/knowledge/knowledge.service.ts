import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { DomainError, notFound, validation } from '../../platform/errors.ts';
import { nowMicros, type Clock } from '../../platform/clock.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { readerOf } from '../../kernel/access/actor.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import { canRead, type Reader } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { canonicalJson, formatMicros } from '../stix/stix.ts';
import { DEFAULT_LIMITS } from '../stix/validate.ts';
import { BUILTIN_LAST_ADDED_US, wellKnownMarking } from '../stix/well-known.ts';
import {
  emptyReport,
  isRejection,
  problemText,
  jsonText,
  type IngestOptions,
  type IngestReport,
  type PreparedObject,
} from './knowledge.ts';
import { inThreadPreparer, type Preparer, type RawItems } from './prepare-pool.ts';
import { admit, builtin, deletedName, foreignId, perAuthor } from './knowledge.versions.ts';
import type {
  ExistingRow,
  Frame,
  JoinedPage,
  KnowledgeRepository,
  NewRow,
  ObjectQuery,
  PageRow,
  StoredRow,
  VersionRow,
} from './knowledge.repository.ts';

export interface IngestRequest {
  defaultTlp?: Tlp;
  audience?: readonly string[];
  /** Organisation recorded as author; required for system actors, ignored for users (their own org). */
  asOrg?: string;
  /** After each batch: elements processed, and for a file the bytes read so far. */
  onProgress?: (processed: number, bytesRead?: number) => void;
  /** Objects per write batch (default 2,000); the outcome never depends on it. */
  batchSize?: number;
  /** Runs inside ingest's transaction once the objects are written (federation records what it received). */
  within?: (trx: Transaction<Schema>, report: IngestReport) => Promise<void>;
}

const BATCH = 2000;

/** The latest version of an id after a write, or undefined when its last version was deleted. */
export interface LatestChange {
  id: string;
  type: string;
  latest: (Pick<StoredRow, 'author' | 'tlp' | 'audience'> & { json: string }) | undefined;
}

/**
 * What a new latest version changes beyond the store (views derived from it, e.g. intel's index):
 * `within` runs inside every write's transaction (REST, TAXII, import, deletion) once its rows are in,
 * so the derived views commit or roll back with the write; `after` runs once that transaction committed,
 * when the service owns it (ingest, remove).
 */
export interface LatestHook {
  types: readonly string[];
  within(trx: Transaction<Schema>, changes: readonly LatestChange[]): Promise<void>;
  after?(changes: readonly LatestChange[]): Promise<void>;
}

/** A bundle's elements, a bundle file, or a TAXII envelope's bytes, which the preparer then reads itself. */
export type IngestInput = RawItems | { file: string } | { envelope: Uint8Array };

export class KnowledgeService {
  private readonly hooks: LatestHook[] = [];

  constructor(
    readonly repo: KnowledgeRepository,
    private readonly clock: Clock,
    private readonly preparer: Preparer = inThreadPreparer,
  ) {}

  /** Registers a view derived from the latest versions of some types (see LatestHook). */
  onLatest(hook: LatestHook): void {
    this.hooks.push(hook);
  }

  /** Stores a bundle's objects atomically: every accepted object commits, or none does. */
  async ingest(actor: Actor, items: IngestInput, req: IngestRequest = {}): Promise<IngestReport> {
    const { report, changes } = await this.repo.db.transaction().execute(async (trx) => {
      const written = await this.write(trx, actor, items, req);
      await req.within?.(trx, written.report);
      return written;
    });
    await this.committed(changes);
    return report;
  }

  /** The same, inside the caller's transaction (intel writes incidents and their outbox rows together). */
  async ingestWithin(
    trx: Transaction<Schema>,
    actor: Actor,
    items: IngestInput,
    req: IngestRequest = {},
  ): Promise<IngestReport> {
    return (await this.write(trx, actor, items, req)).report;
  }

  private async write(
    trx: Transaction<Schema>,
    actor: Actor,
    items: IngestInput,
    req: IngestRequest,
  ): Promise<{ report: IngestReport; changes: LatestChange[] }> {
    const author = actor.kind === 'user' ? actor.org : req.asOrg;
    if (!author) throw validation('asOrg', 'a system write must name the organisation it writes for');
    const audience = req.audience ?? [];
    // [] is "no audience" here: callers' inputs were checked (empty refused) before they reach the store.
    await assertAudience(trx, audience, { allowEmpty: true });
    const opts: IngestOptions = { defaultTlp: req.defaultTlp ?? 'amber', audience, limits: DEFAULT_LIMITS, author };
    const report = emptyReport();
    const state = { last: await this.repo.lockForWrite(trx), reader: readerOf(actor) };
    // A store empty at the start (nothing but its standard marking definitions, whose ids never reach
    // the planning below) holds, during this write, only what it writes: its
    // stored versions are those of ids written so far, so only those ids are looked up (a first large
    // import skips one index probe per object). The transaction's snapshot keeps the store as it was.
    const written = state.last <= BUILTIN_LAST_ADDED_US ? new Set<string>() : undefined;
    const restorePlanner = await this.repo.plannerForBatches(trx);
    const size = Math.max(1, req.batchSize ?? BATCH);
    // One batch is prepared (on the preparer's thread) while the one before it is written.
    const batches =
      'file' in items
        ? this.preparer.file(items.file, opts, size)
        : 'envelope' in items
          ? this.preparer.envelope(items.envelope, opts, size)
          : this.preparer.batches(items, opts, size);
    // Writes trail by one batch: batch k's stored versions are looked up before batch k-1 is written,
    // so that (on PostgreSQL) the server inserts batch k-1 while this thread plans batch k. Batch k-1's
    // rows are then not in the store yet and come from memory instead (`unwritten`).
    let unwritten: NewRow[] = [];
    let write: (() => Promise<void>) | undefined;
    const hooked = new Set(this.hooks.flatMap((h) => h.types));
    const latest = new Map<string, LatestChange>();
    for await (const prepared of batches) {
      const batch: PreparedObject[] = [];
      for (const p of prepared.results) {
        report.total++;
        if (isRejection(p))
          report.rejected.push({
            index: p.index,
            id: p.id,
            message: problemText(p),
            ...(p.version ? { version: p.version } : {}),
          });
        else if (wellKnownMarking(p.id)) builtin(p, report);
        else batch.push(p);
      }
      if (batch.length > 0) {
        const inBatch = new Set(batch.map((p) => p.id));
        const ids = [...inBatch];
        const looked = this.repo.existing(trx, written ? ids.filter((id) => written.has(id)) : ids);
        const writing = write?.();
        writing?.catch(() => undefined); // awaited below, after planning; this only keeps it from counting as unhandled meanwhile
        // Another organisation's copy of an observable is no concern of this write (see perAuthor).
        const existing = [
          ...(await looked).filter((e) => e.author === author || !perAuthor(e)),
          ...unwritten.filter((r) => inBatch.has(r.id)),
        ];
        const plan =
          existing.length === 0 && inBatch.size === batch.length
            ? this.planNew(author, batch, report, state)
            : this.planBatch(author, batch, existing, report, state);
        await writing;
        if (written) for (const r of plan.rows) written.add(r.id);
        for (const r of plan.rows)
          if (r.is_latest === 1 && hooked.has(r.type))
            latest.set(r.id, { id: r.id, type: r.type, latest: { ...r, json: jsonText(r.json) } });
        unwritten = plan.rows;
        write = async () => {
          if (plan.superseded.length > 0) await this.repo.clearLatest(trx, plan.superseded, author);
          await this.repo.insertRows(trx, plan.rows);
        };
      }
      req.onProgress?.(report.total, prepared.bytesRead);
    }
    await write?.();
    await restorePlanner();
    const changes = [...latest.values()];
    await this.derive(trx, changes);
    if (report.total === 0) req.onProgress?.(0);
    return { report, changes };
  }

  private async derive(trx: Transaction<Schema>, changes: readonly LatestChange[]): Promise<void> {
    for (const h of this.hooks) {
      const mine = changes.filter((c) => h.types.includes(c.type));
      if (mine.length > 0) await h.within(trx, mine);
    }
  }

  private async committed(changes: readonly LatestChange[]): Promise<void> {
    for (const h of this.hooks) {
      const mine = changes.filter((c) => h.types.includes(c.type));
      if (mine.length > 0) await h.after?.(mine);
    }
  }

  /**
   * planBatch for a batch of distinct ids none of which is stored (the bulk of a large import): every
   * object is new and the latest version of its id, so none of planBatch's look-ups is needed.
   */
  private planNew(
    author: string,
    batch: PreparedObject[],
    report: IngestReport,
    state: { last: number },
  ): { rows: NewRow[]; superseded: string[] } {
    const since = nowMicros(this.clock);
    return { rows: batch.map((p) => admit(p, author, since, state, report, 1)), superseded: [] };
  }

  /**
   * Decides, for one batch, what is new, a duplicate or refused, given the stored versions of its ids
   * that concern the writer: its own, and other authors' versions of ids that have one author (not
   * their copies of observables). What another author holds shows only as "belongs to another
   * organisation", unless the writer may read that version (under its own release and the object's
   * current one, as every read applies).
   */
  private planBatch(
    author: string,
    batch: PreparedObject[],
    existing: ReadonlyArray<ExistingRow | NewRow>,
    report: IngestReport,
    state: { last: number; reader: Reader },
  ): { rows: NewRow[]; superseded: string[] } {
    const byKey = new Map<string, { json: string | Uint8Array; author: string; hidden: boolean }>();
    const maxVersion = new Map<string, string>();
    const owner = new Map<string, string>();
    const currentHidden = new Set<string>();
    for (const e of existing) if (e.is_latest === 1 && !canRead(state.reader, toReleasable(e))) currentHidden.add(e.id);
    for (const e of existing) {
      byKey.set(`${e.id}|${e.version}`, {
        json: e.json,
        author: e.author,
        hidden: currentHidden.has(e.id) || !canRead(state.reader, toReleasable(e)),
      });
      if (e.author === author && (maxVersion.get(e.id) ?? '\u0000') < e.version) maxVersion.set(e.id, e.version);
      if (!perAuthor(e)) owner.set(e.id, e.author);
    }
    const rows: NewRow[] = [];
    const newLatest = new Map<string, number>();
    const since = nowMicros(this.clock);
    for (const p of batch) {
      const key = `${p.id}|${p.versionKey}`;
      const version = p.version;
      const prior = byKey.get(key);
      if (prior?.hidden) {
        // Comparing with an object the writer may not read would reveal its content: answer as for any other author's id.
        report.rejected.push({ index: p.index, id: p.id, message: foreignId(p.id), version: p.version });
        continue;
      }
      if (prior) {
        if (canonicalJson(JSON.parse(jsonText(prior.json))) === canonicalJson(JSON.parse(jsonText(p.json))))
          report.duplicates.push({ index: p.index, id: p.id, version });
        else
          report.rejected.push({
            index: p.index,
            id: p.id,
            message: `${p.id}: a different object with the same id and version (${version || 'unversioned'}) is already stored; change "modified" to make a new version`,
            version,
          });
        continue;
      }
      const own = owner.get(p.id);
      if (own !== undefined && own !== author) {
        report.rejected.push({ index: p.index, id: p.id, message: foreignId(p.id), version: p.version });
        continue;
      }
      rows.push(admit(p, author, since, state, report, 0));
      byKey.set(key, { json: p.json, author, hidden: false });
      if (!perAuthor({ id: p.id, version: p.versionKey })) owner.set(p.id, author);
      const cur = maxVersion.get(p.id);
      if (cur === undefined || cur <= p.versionKey) {
        maxVersion.set(p.id, p.versionKey);
        newLatest.set(p.id, rows.length - 1);
      }
    }
    const stored = new Set(existing.filter((e) => e.author === author).map((e) => e.id));
    const superseded = [...newLatest.keys()].filter((id) => stored.has(id));
    for (const [, i] of newLatest) rows[i]!.is_latest = 1;
    return { rows, superseded };
  }

  async list(q: ObjectQuery): Promise<StoredRow[]> {
    return this.repo.list(q);
  }

  /**
   * The rows of `q` in chunks of at most `chunk`, oldest first: a caller that keeps only what it needs
   * of each chunk holds one chunk of JSON at a time, however many rows match (objects are up to the
   * store's object limit each, so a whole-list read of a type can cost gigabytes).
   */
  async *scan(q: Omit<ObjectQuery, 'limit' | 'addedAfterUs'>, chunk: number): AsyncGenerator<StoredRow[]> {
    let after: number | undefined;
    for (;;) {
      const rows = await this.repo.list({
        ...q,
        limit: chunk,
        ...(after === undefined ? {} : { addedAfterUs: after }),
      });
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < chunk) return;
      after = Number(rows[rows.length - 1]!.added_us);
    }
  }

  async listPage(q: ObjectQuery): Promise<PageRow[]> {
    return this.repo.listPage(q);
  }

  async listVersions(q: ObjectQuery): Promise<VersionRow[]> {
    return this.repo.listVersions(q);
  }

  async listJoined(q: ObjectQuery, joinFirst: number, frame?: Frame): Promise<JoinedPage> {
    return this.repo.listJoined(q, joinFirst, frame);
  }

  async count(q: ObjectQuery): Promise<number> {
    return this.repo.count(q);
  }

  /**
   * The latest version of an object that the reader may see, or undefined (also when hidden). Of an
   * observable held by several organisations, the reader's own copy, else the first stored that it may read.
   */
  async find(
    actor: Actor | null,
    id: string,
  ): Promise<{ object: Record<string, unknown>; meta: ObjectMeta } | undefined> {
    const reader = readerOf(actor);
    const rows = await this.repo.list({ reader, scope: { kind: 'all' }, ids: [id], versions: ['last'] });
    const row = (reader.kind === 'org' ? rows.find((r) => r.author === reader.org) : undefined) ?? rows[0];
    if (!row || !canRead(reader, toReleasable(row))) return undefined;
    return { object: JSON.parse(row.json) as Record<string, unknown>, meta: metaOf(row) };
  }

  /** As find, but a missing or hidden object answers 404. */
  async get(actor: Actor | null, id: string): Promise<{ object: Record<string, unknown>; meta: ObjectMeta }> {
    const found = await this.find(actor, id);
    if (!found) throw notFound(`object ${id}`);
    return found;
  }

  /** Deletes the matching versions the actor authored (others' objects: 404, never 403). */
  async remove(actor: Actor, q: ObjectQuery): Promise<number> {
    if (actor.kind !== 'user') throw new DomainError('forbidden', 'system actors do not delete');
    const { n, changes } = await this.repo.db.transaction().execute(async (trx) => {
      const last = await this.repo.lockForWrite(trx);
      const rows = await this.repo.list(q, trx);
      const mine = rows.filter((r) => r.author === actor.org);
      if (rows.length > 0 && mine.length === 0)
        throw new DomainError('forbidden', 'only the author organisation may delete an object');
      return { n: mine.length, changes: await this.drop(trx, mine, actor.org, '', last) };
    });
    await this.committed(changes);
    return n;
  }

  /**
   * Deletes versions of `author` that a deletion received from node `origin` names (federation): of every
   * stored version of `ids`, those `choose` returns (inside the transaction) and `author` wrote; no other
   * author's version is ever deleted. Recorded as deletions from `origin`. Returns the versions deleted.
   */
  async removeReceived(
    author: string,
    ids: readonly string[],
    origin: string,
    choose: (trx: Transaction<Schema>, held: readonly StoredRow[]) => Promise<readonly StoredRow[]>,
  ): Promise<StoredRow[]> {
    if (ids.length === 0) return [];
    const { gone, changes } = await this.repo.db.transaction().execute(async (trx) => {
      const last = await this.repo.lockForWrite(trx);
      const held = await this.repo.list(
        { reader: { kind: 'system', name: 'knowledge' }, scope: { kind: 'all' }, ids, versions: ['all'] },
        trx,
      );
      const gone = (await choose(trx, held)).filter((r) => r.author === author);
      return { gone, changes: gone.length === 0 ? [] : await this.drop(trx, gone, author, origin, last) };
    });
    await this.committed(changes);
    return gone;
  }

  /**
   * Deletes versions of one author inside the caller's locked transaction, records each deletion (with
   * the next date_added after `last`, so that peers pulling after a cursor see it), and moves each id's
   * latest version and the views derived from it.
   */
  private async drop(
    trx: Transaction<Schema>,
    rows: readonly StoredRow[],
    author: string,
    origin: string,
    last: number,
  ): Promise<LatestChange[]> {
    await this.repo.deleteWhere(
      trx,
      rows.map((r) => r.added_us),
    );
    const since = nowMicros(this.clock);
    await this.repo.recordDeletions(
      trx,
      rows.map((r) => {
        const added = (last = Math.max(since, last + 1));
        return {
          added_us: added,
          date_added: formatMicros(added),
          id: r.id,
          type: r.type,
          version: r.version,
          author: r.author,
          tlp: r.tlp,
          audience: r.audience,
          json: JSON.stringify(deletedName(JSON.parse(r.json) as Record<string, unknown>)),
          origin,
        };
      }),
    );
    const ids = [...new Set(rows.map((r) => r.id))];
    await this.repo.recomputeLatest(trx, ids, author);
    // The latest version of each id whose versions were deleted is another one now (or none): derived views follow.
    const hooked = new Set(this.hooks.flatMap((h) => h.types));
    const touched = new Map(rows.filter((r) => hooked.has(r.type)).map((r) => [r.id, r.type]));
    const now =
      touched.size === 0
        ? []
        : await this.repo.list(
            {
              reader: { kind: 'system', name: 'knowledge' },
              scope: { kind: 'all' },
              ids: [...touched.keys()],
              versions: ['last'],
            },
            trx,
          );
    const byId = new Map(now.map((r) => [r.id, r]));
    const changes = [...touched].map(([id, type]): LatestChange => ({ id, type, latest: byId.get(id) }));
    await this.derive(trx, changes);
    return changes;
  }
}

import { metaOf, toReleasable, type ObjectMeta } from './knowledge.meta.ts';

export { metaOf, toReleasable, type ObjectMeta };

export type { Reader };
