import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import { appendToOutbox, type EventNotifier, type OutgoingEvent } from '../../platform/events/outbox.ts';
import { toReleasable } from '../knowledge/knowledge.service.ts';
import { linkEnds, linkReleasability, DEFAULT_CORRELATION, type CorrelationSettings } from './correlation.ts';
import { stixTime } from './incident.ts';
import { retryTransient } from '../../platform/db/group-commit.ts';
import { LoopSlice, SLICE_MS, turn } from '../../platform/loop-slice.ts';
import { nameUuid } from '../stix/stix.ts';
import type { IntelRepository, LinkRow } from './intel.repository.ts';
import { CorrelationFinder, type Found } from './correlation-finder.ts';
import { Announcements } from './link-announcements.ts';

export interface CorrelationResult {
  links: Array<{ other: string; score: number; reasons: string[] }>;
  announced: number;
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
 * Correlates incidents, acting as the system actor `correlation`: finds each one's links (CorrelationFinder), then
 * writes them. Batches run one at a time in process; an incident's links and their announcements commit together.
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
  private readonly finder: CorrelationFinder;

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
    this.finder = new CorrelationFinder(repo);
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
  find(id: string): Promise<Found | undefined> {
    return this.finder.find(id, this.settings);
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
    const { row, links, kept, ends } = found;
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
      const releasable = linkReleasability(toReleasable(row), toReleasable(ends.get(other)!));
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
