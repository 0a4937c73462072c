import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import { appendToOutbox, type EventNotifier, type OutgoingEvent } from '../../platform/events/outbox.ts';
import { toReleasable } from '../knowledge/knowledge.service.ts';
import type { Releasable } from '../../kernel/access/releasability.ts';
import {
  commonFor,
  DEFAULT_CORRELATION,
  linkEnds,
  linkReaders,
  linkReleasability,
  proximity,
  readableIn,
  scoreLink,
  ttpOverlap,
  type CorrelationSettings,
  type Evidence,
  type ReleaseClass,
} from './correlation.ts';
import { bandKeys, decodeSignature, similarity } from './fingerprint.ts';
import { stixTime } from './incident.ts';
import { retryTransient } from '../../platform/db/group-commit.ts';
import { LoopSlice, SLICE_MS, turn } from '../../platform/loop-slice.ts';
import { nameUuid } from '../stix/stix.ts';
import type { IncidentRow, IntelRepository, LinkRow } from './intel.repository.ts';
import type { ObservableType } from './observable.ts';
import { CorrelationQueries } from './correlation.repository.ts';
import { chooseCandidates, strongestLinks } from './candidates.ts';
import { Announcements } from './link-announcements.ts';

/**
 * Up to this many distinct releases of a widely carried value, its carriers are counted per link in memory from
 * their releases; past it, by a count in SQL for each set of link readers. The verdict is the same either way.
 */
export const MAX_RELEASE_CLASSES = 256;

/**
 * At most this many releases of each author are probed for candidates sharing a widely carried value, widest
 * first (candidates.ts): an organisation padding a value with releases of its own fills only its own share.
 */
export const MAX_RELEASES_PER_AUTHOR = 32;

/** Rows of the intel index read per statement when looking up many incidents. */
const CHUNK = 500;

export interface CorrelationResult {
  links: Array<{ other: string; score: number; reasons: string[] }>;
  announced: number;
}

/** What `find` found for an incident: its row, its links, and the rows of the incidents linked. */
interface Found {
  row: IncidentRow;
  /** Every incident the evidence links it to (among the candidates), scored. */
  links: Map<string, { score: number; reasons: string[] }>;
  /** Those it may newly link to: at most maxLinks per release and per author (strongestLinks). */
  kept: Set<string>;
  rows: Map<string, IncidentRow>;
}

/** Links written per transaction at most (an incident with more is written alone): bounds how long one holds the loop. */
export const MAX_LINKS_PER_WRITE = 500;

/** Incidents correlated per batch at most. */
const BATCH = 100;

export function linkId(a: string, b: string): string {
  const [x, y] = linkEnds(a, b);
  return `relationship--${nameUuid(`bulwark-link|${x}|${y}`)}`;
}

/**
 * Finds related incidents for one incident, acting as the system actor `correlation`. Every lookup
 * is an indexed probe bounded per author (at most maxCandidates candidates and MAX_RELEASES_PER_AUTHOR releases
 * of a widely carried value for each), so the cost per incident does not grow with the store. Runs one at a time in process; links and their announcements commit together.
 */
export class CorrelationService {
  /** Incidents waiting to be correlated, each with whoever waits for its result. */
  private readonly queued = new Map<string, Array<(r: CorrelationResult | Error) => void>>();
  /** When each queued incident was first queued (performance.now()), in queue order. */
  private readonly queuedAt = new Map<string, number>();
  /** When the oldest incident of the batch being correlated was queued; undefined between batches. */
  private runningSince: number | undefined;
  /** Incidents in the batch being correlated. */
  private running = 0;
  /** Mean milliseconds per incident lately, for Retry-After. */
  private perIncidentMs = 5;
  private draining: Promise<void> | null = null;
  private readonly queries: CorrelationQueries;

  constructor(
    private readonly repo: IntelRepository,
    private readonly clock: Clock,
    private readonly notifier: EventNotifier,
    private readonly log: Logger,
    readonly settings: CorrelationSettings = DEFAULT_CORRELATION,
    private readonly limits: { linksPerWrite: number; sliceMs: number } = {
      linksPerWrite: MAX_LINKS_PER_WRITE,
      sliceMs: SLICE_MS,
    },
  ) {
    this.queries = new CorrelationQueries(repo.db);
  }

  /**
   * Correlates `id` after the incidents queued before it. Incidents queued while a batch runs are correlated
   * together in the next one: one transaction (one commit, one nudge) for all of them, so under a burst of
   * reports the cost of correlating falls per report instead of queueing one transaction behind another.
   */
  correlate(id: string): Promise<CorrelationResult> {
    return new Promise((resolve, reject) => {
      const waiters = this.queued.get(id) ?? [];
      waiters.push((r) => (r instanceof Error ? reject(r) : resolve(r)));
      this.queued.set(id, waiters);
      if (!this.queuedAt.has(id)) this.queuedAt.set(id, performance.now());
      this.drain();
    });
  }

  /**
   * Seconds a new report should wait before it comes back, when correlation is behind by `maxWaitMs` or more
   * (the oldest incident waiting or being correlated was queued that long ago, or the incidents ahead of a new
   * one take that long at the recent pace: those waiting, those being correlated and `coming`, reports written
   * or waiting to be, which will queue here first); undefined when it is not. A report is answered once
   * correlated, so without this a burst whose links take longer than its writes (near-identical narratives link
   * pairwise) queued here without bound while the write queue, and so its refusal, stayed short.
   */
  refusal(maxWaitMs: number, coming = 0): number | undefined {
    const ahead = this.queued.size + this.running + coming;
    if (ahead === 0) return undefined;
    const now = performance.now();
    const first = this.queuedAt.values().next();
    const oldest = Math.min(this.runningSince ?? now, first.done ? now : first.value);
    const behind = Math.max(now - oldest, ahead * this.perIncidentMs);
    if (behind < maxWaitMs) return undefined;
    return Math.min(60, Math.max(1, Math.ceil(behind / 1000)));
  }

  /** Incidents waiting to be correlated, the batch being correlated included. */
  get backlog(): number {
    return this.queued.size + this.running;
  }

  /** Resolves once every incident handed to `correlate` so far has been correlated (or failed). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      // Reports committed in this turn of the event loop join the first batch.
      await turn();
      while (this.queued.size > 0) {
        const batch = [...this.queued].slice(0, BATCH);
        this.runningSince = performance.now();
        this.running = batch.length;
        for (const [id] of batch) {
          this.runningSince = Math.min(this.runningSince, this.queuedAt.get(id) ?? this.runningSince);
          this.queued.delete(id);
          this.queuedAt.delete(id);
        }
        const started = performance.now();
        let results: Array<CorrelationResult | Error> = [];
        results = await this.runBatch(batch.map(([id]) => id)).catch(
          // One incident that fails must not keep the others of its batch uncorrelated: each alone then.
          async (e: unknown) =>
            batch.length === 1
              ? [e instanceof Error ? e : new Error(String(e))]
              : Promise.all(
                  batch.map(([id]) =>
                    this.runBatch([id]).then(
                      ([r]) => r!,
                      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
                    ),
                  ),
                ),
        );
        this.perIncidentMs = 0.8 * this.perIncidentMs + 0.2 * ((performance.now() - started) / batch.length);
        this.runningSince = undefined;
        this.running = 0;
        batch.forEach(([, waiters], i) => waiters.forEach((w) => w(results[i]!)));
      }
    })().finally(() => {
      this.runningSince = undefined;
      this.running = 0;
      this.draining = null;
      if (this.queued.size > 0) this.drain();
    });
  }

  /** Correlates incidents whose latest version was stored but not yet correlated (e.g. after a crash). */
  async catchUp(): Promise<number> {
    let n = 0;
    for (;;) {
      const ids = await this.repo.pending(100);
      if (ids.length === 0) return n;
      for (const id of ids) await this.correlate(id);
      n += ids.length;
    }
  }

  /** Finds the links of `id` (pure read; no writes). */
  async find(id: string): Promise<Found | undefined> {
    const s = this.settings;
    const row = await this.repo.incident(this.repo.db, id);
    if (!row) return undefined;
    const values = await this.repo.valuesOf([id]);
    const evidence = new Map<string, Evidence[]>();
    const add = (other: string, e: Evidence) => {
      const list = evidence.get(other);
      if (list) list.push(e);
      else evidence.set(other, [e]);
    };
    const counts = await this.repo.valueCounts(values.map((v) => ({ kind: v.kind, norm: v.norm_value })));
    /** This incident's values carried by more than the threshold of incidents in all, by kind and normalised value. */
    const commons = new Map<string, Evidence>();
    const ttpCandidates = new Set<string>();
    const probe: typeof values = [];
    const wide: typeof values = [];
    for (const v of values) {
      if ((counts.get(`${v.kind}\u0000${v.norm_value}`) ?? 0) > s.commonThreshold) {
        commons.set(`${v.kind}\u0000${v.norm_value}`, {
          kind: 'common',
          type: v.kind,
          value: v.kind === 'ttp' || v.kind === 'actor' ? v.value : v.norm_value,
        });
        wide.push(v);
      } else probe.push(v);
    }
    const shown = new Map(values.map((v) => [`${v.kind}\u0000${v.norm_value}`, v.value]));
    const hit = (other: string, kind: string, norm: string) => {
      if (kind === 'ttp') ttpCandidates.add(other);
      else if (kind === 'actor') add(other, { kind: 'actor', name: shown.get(`actor\u0000${norm}`) ?? norm });
      else add(other, { kind: 'observable', type: kind as ObservableType, value: norm });
    };
    // Each probed value is carried by at most commonThreshold incidents, so this read is bounded.
    for (const h of await this.repo.withValues(
      probe.map((v) => ({ kind: v.kind, norm: v.norm_value })),
      id,
      (s.commonThreshold + 1) * Math.max(1, probe.length),
    ))
      hit(h.incident_id, h.kind, h.norm_value);
    // A value carried more widely is common for a link only when more than the threshold of its carriers are
    // readable by every reader of the link; hidden carriers decide nothing (commonFor). Counted once per value
    // and set of link readers: from the releases of its carriers when there are at most MAX_RELEASE_CLASSES of
    // them, else by a count in SQL stopped at threshold + 1.
    const releases = new Map<string, ReleaseClass[] | undefined>();
    const verdicts = new Map<string, boolean>();
    const isCommon = async (kind: string, norm: string, other: Releasable): Promise<boolean> => {
      const readers = linkReaders(toReleasable(row), other);
      const key = `${kind}\u0000${norm}\u0000${readers.join(',')}`;
      let common = verdicts.get(key);
      if (common === undefined) {
        const all = releases.get(`${kind}\u0000${norm}`);
        const n = all
          ? readableIn(readers, all)
          : await this.queries.readableCarriers(kind, norm, readers, s.commonThreshold + 1);
        common = commonFor(readers, n, s.commonThreshold);
        verdicts.set(key, common);
      }
      return common;
    };
    /** `${other}\0${kind}\0${norm}` for each wide value already counted as evidence. */
    const counted = new Set<string>();
    for (const v of wide) {
      const classes = await this.queries.valueReleases(v.kind, v.norm_value, MAX_RELEASES_PER_AUTHOR);
      const perAuthor = new Map<string, number>();
      const probed: typeof classes = [];
      for (const c of classes) {
        const n = (perAuthor.get(c.author) ?? 0) + 1;
        perAuthor.set(c.author, n);
        if (n <= MAX_RELEASES_PER_AUTHOR) probed.push(c);
      }
      releases.set(
        `${v.kind}\u0000${v.norm_value}`,
        probed.length < classes.length || classes.length > MAX_RELEASE_CLASSES
          ? undefined
          : classes.map((c) => ({ ...toReleasable(c), incidents: c.incidents })),
      );
      const open: typeof classes = [];
      for (const c of probed) if (!(await isCommon(v.kind, v.norm_value, toReleasable(c)))) open.push(c);
      // A release it is not common for holds at most the threshold of carriers (all readable by the link's
      // readers), so this read is bounded too.
      for (const other of await this.repo.withValueIn(
        v.kind,
        v.norm_value,
        open,
        id,
        s.commonThreshold * Math.max(1, open.length),
      )) {
        hit(other, v.kind, v.norm_value);
        counted.add(`${other}\u0000${v.kind}\u0000${v.norm_value}`);
      }
    }
    await this.narrativeEvidence(row, add);
    if (ttpCandidates.size > 0) {
      const mine = values.filter((v) => v.kind === 'ttp').map((v) => v.norm_value);
      const theirs = new Map<string, string[]>();
      for (const t of await this.repo.valuesOf([...ttpCandidates], ['ttp']))
        theirs.set(t.incident_id, [...(theirs.get(t.incident_id) ?? []), t.norm_value]);
      for (const [other, ttps] of theirs) {
        const e = ttpOverlap(mine, ttps);
        if (e) add(other, e);
      }
    }
    // Candidates are chosen per release of the candidate, so hidden incidents never take a visible one's place
    // (chooseCandidates): at most maxCandidates per release and per author.
    const found = new Map<string, IncidentRow>();
    const ids = [...evidence.keys()];
    for (let i = 0; i < ids.length; i += CHUNK)
      for (const r of await this.repo.incidents(ids.slice(i, i + CHUNK))) found.set(r.id, r);
    const chosen = chooseCandidates(
      [...found.values()].map((r) => ({ id: r.id, release: toReleasable(r), evidence: evidence.get(r.id)!.length })),
      s.maxCandidates,
      s.maxCandidates,
    );
    const candidates = chosen.map((c): [string, Evidence[]] => [c.id, evidence.get(c.id)!]);
    const rows = new Map(chosen.map((c) => [c.id, found.get(c.id)!]));
    const theirCommons = new Set<string>();
    if (commons.size > 0) {
      const wanted = wide.map((v) => ({ kind: v.kind, norm: v.norm_value }));
      const chosenIds = [...rows.keys()];
      for (let i = 0; i < chosenIds.length; i += CHUNK)
        for (const v of await this.queries.carriersAmong(chosenIds.slice(i, i + CHUNK), wanted))
          theirCommons.add(`${v.incident_id}\u0000${v.kind}\u0000${v.norm_value}`);
    }
    const links = new Map<string, { score: number; reasons: string[] }>();
    for (const [other, ev] of candidates) {
      const r = rows.get(other);
      if (!r) continue;
      const near = proximity(
        { occurredAt: row.occurred_at, lat: row.lat, lon: row.lon },
        { occurredAt: r.occurred_at, lat: r.lat, lon: r.lon },
        s,
      );
      const all = [...ev, ...(near ? [near] : [])];
      for (const [key, common] of commons) {
        if (!theirCommons.has(`${other}\u0000${key}`)) continue;
        const [kind = '', norm = ''] = key.split('\u0000');
        if (await isCommon(kind, norm, toReleasable(r))) all.push(common);
        else if (!counted.has(`${other}\u0000${key}`) && kind !== 'ttp')
          all.push(
            kind === 'actor'
              ? { kind: 'actor', name: shown.get(key) ?? norm }
              : { kind: 'observable', type: kind as ObservableType, value: norm },
          );
      }
      const scored = scoreLink(all, s);
      if (scored) links.set(other, scored);
    }
    const kept = strongestLinks(
      [...links].map(([other, l]) => ({ id: other, release: toReleasable(rows.get(other)!), score: l.score })),
      s.maxLinks,
    );
    return { row, links, kept, rows };
  }

  private async narrativeEvidence(row: IncidentRow, add: (other: string, e: Evidence) => void): Promise<void> {
    const id = row.id;
    const mine = (await this.repo.narrativesOf([id]))
      .map((n) => decodeSignature(n.signature))
      .filter((x): x is Uint32Array => x !== undefined);
    if (mine.length === 0) return;
    const keys = [...new Set(mine.flatMap((sig) => bandKeys(sig)))];
    // For each author at most maxCandidates, widest releases first: others' incidents never take their place.
    const others = await this.queries.bandCarriers(
      keys,
      row,
      this.settings.maxCandidates,
      this.settings.narrativeCarriers,
    );
    const best = new Map<string, number>();
    for (const n of await this.repo.narrativesOf(others)) {
      const sig = decodeSignature(n.signature);
      if (!sig) continue;
      for (const m of mine) best.set(n.incident_id, Math.max(best.get(n.incident_id) ?? 0, similarity(m, sig)));
    }
    for (const [other, sim] of best)
      if (sim >= this.settings.narrativeThreshold) add(other, { kind: 'narrative', similarity: sim });
  }

  /**
   * Finds the links of each incident, then writes them (links, correlated marks, events) in transactions of up to
   * `linksPerWrite` links; an incident's links and their events always commit together. Writing is idempotent, so
   * a batch that failed part-way is run again incident by incident (drain).
   */
  private async runBatch(ids: readonly string[]): Promise<CorrelationResult[]> {
    const found: Array<Found | undefined> = [];
    // SQLite answers without yielding: without a turn of the loop once a slice has run, a batch of incidents with
    // many links each held it for seconds, and a burst's connections overflowed the listen queue meanwhile.
    const slice = new LoopSlice(this.limits.sliceMs);
    for (const id of ids) {
      found.push(await this.find(id));
      await slice.pass();
    }
    const now = stixTime(this.clock.now());
    const results: CorrelationResult[] = [];
    let announced = 0;
    for (let from = 0; from < found.length;) {
      // Incidents written per transaction: up to linksPerWrite new links (one with more, alone). An incident edited
      // later may also rewrite links others made to it, which this count leaves out.
      let to = from + 1;
      let links = found[from]?.kept.size ?? 0;
      while (to < found.length && links + (found[to]?.kept.size ?? 0) <= this.limits.linksPerWrite)
        links += found[to++]?.kept.size ?? 0;
      const events: OutgoingEvent[] = [];
      // Busy store (a checkpoint emptying the log): nothing was written, so the part runs again later.
      const part = await retryTransient(() =>
        this.repo.db.transaction().execute(async (trx) => {
          events.length = 0;
          const out: CorrelationResult[] = [];
          for (let i = from; i < to; i++) {
            const f = found[i];
            if (!f) out.push({ links: [], announced: 0 });
            else out.push(await this.write(trx, ids[i]!, f, now, events));
          }
          return out;
        }),
      );
      results.push(...part);
      announced += events.length;
      if (events.length > 0) this.notifier.nudge();
      from = to;
      if (from < found.length) await slice.pass();
    }
    this.log.debug({ incidents: ids.length, announced }, 'correlated');
    return results;
  }

  private async write(
    trx: Transaction<Schema>,
    id: string,
    found: Found,
    now: string,
    all: OutgoingEvent[],
  ): Promise<CorrelationResult> {
    const { row, links, kept, rows } = found;
    const events: OutgoingEvent[] = [];
    const existing = new Map((await this.repo.linksOf(trx, id)).map((l) => [l.a === id ? l.b : l.a, l]));
    for (const [other, l] of existing) if (!links.has(other)) await this.repo.deleteLink(trx, l.a, l.b);
    const changed: LinkRow[] = [];
    const result: CorrelationResult['links'] = [];
    const announce = new Announcements(id);
    for (const [other, l] of links) {
      const prior = existing.get(other);
      // Past its share it makes no new link; one another incident made to it stays while the evidence holds.
      if (!prior && !kept.has(other)) continue;
      result.push({ other, ...l });
      const [a, b] = linkEnds(id, other);
      const reasons = JSON.stringify(l.reasons);
      if (prior && prior.score === l.score && prior.reasons === reasons) continue;
      changed.push({ a, b, score: l.score, reasons, created_at: prior?.created_at ?? now, updated_at: now });
      const releasable = linkReleasability(toReleasable(row), toReleasable(rows.get(other)!));
      if (releasable)
        announce.add(releasable, { id: linkId(a, b), incidents: [a, b], score: l.score, reasons: l.reasons });
    }
    events.push(...announce.events());
    await this.repo.upsertLinks(trx, changed);
    await this.repo.markCorrelated(trx, id, row.modified);
    await appendToOutbox(trx, events, now);
    all.push(...events);
    return { links: result, announced: events.length };
  }
}
