import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { EventNotifier } from './outbox.ts';
import type { OutboxRepository } from './outbox.repository.ts';
import type { EventBus } from './bus.ts';
import type { PublishedEvent } from './event.ts';
import { turn } from '../loop-slice.ts';

export interface RelayOptions {
  /** Fallback poll for rows committed by other processes and events relayed by other instances. */
  pollMs: number;
  /** Rows stamped per transaction. */
  batchSize: number;
  /** How often old events are pruned. */
  pruneEveryMs: number;
  /**
   * A nudge within this many ms of the last pass's start waits for the rest of it, so that under load
   * one pass stamps the rows of several commits and the streams get them in one write each; 0: every
   * nudge relays at once. An idle relay always relays at once, so a lone event is never delayed.
   */
  coalesceMs?: number;
  /** Keep published events at least this long … */
  retainMs: number;
  /** … and at most this many. */
  retainRows: number;
}

export interface RelayHooks {
  /** Called after events got their ids, before they go out (metrics). */
  relayed?(count: number): void;
  /** Sends stamped events to the other instances (NATS). */
  share?(e: PublishedEvent): Promise<void>;
}

/**
 * Publishes committed outbox rows: on PostgreSQL stamps them with event ids (one relay at a time), on
 * SQLite reads them (they have ids from their insert); hands them to the local bus and to the other
 * instances. Runs on every nudge (low latency) and on a poll.
 */
export class OutboxRelay implements EventNotifier {
  private running = false;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly sharing = new Set<Promise<void>>();
  private lastPass = -Infinity;
  private pending: NodeJS.Timeout | undefined;
  /** The id of the last event this relay published. */
  private published = 0;

  constructor(
    private readonly repo: OutboxRepository,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: RelayOptions,
    private readonly hooks: RelayHooks = {},
  ) {}

  nudge(): void {
    if (!this.running || this.pending) return;
    const wait = this.lastPass + (this.opts.coalesceMs ?? 0) - performance.now();
    if (wait <= 0) return this.kick();
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.kick();
    }, wait);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.published = await this.repo.maxEventId();
    this.bus.startAt(this.published);
    this.timers.push(
      setInterval(() => {
        this.kick();
        void this.bus.catchUp();
      }, this.opts.pollMs),
      setInterval(() => void this.prune(), this.opts.pruneEveryMs),
    );
    for (const t of this.timers) t.unref();
    this.kick();
  }

  /** Stops polling, lets the in-flight relay finish, publishes what committed meanwhile. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const t of this.timers.splice(0)) clearInterval(t);
    clearTimeout(this.pending);
    this.pending = undefined;
    await this.inFlight;
    await this.relayAll();
    await Promise.allSettled([...this.sharing]);
  }

  /** Runs one relay pass now and resolves when it is done (tests, CLI). */
  async flush(): Promise<void> {
    this.kick();
    await this.inFlight;
  }

  async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.opts.retainMs).toISOString();
    try {
      const n = await this.repo.prune(before, this.opts.retainRows);
      if (n > 0) this.log.info({ pruned: n }, 'outbox: pruned old events');
      return n;
    } catch (err) {
      this.log.warn({ err }, 'outbox: pruning failed');
      return 0;
    }
  }

  private kick(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = (async () => {
      do {
        this.again = false;
        this.lastPass = performance.now();
        await this.relayAll();
      } while (this.again && this.running);
    })().finally(() => {
      this.inFlight = null;
    });
  }

  private async relayAll(): Promise<void> {
    try {
      for (;;) {
        const events = await this.repo.nextToPublish(this.published, this.opts.batchSize);
        if (events.length === 0) return;
        this.published = Math.max(this.published, events[events.length - 1]!.id);
        this.hooks.relayed?.(events.length);
        this.bus.offer(events);
        if (this.hooks.share) for (const e of events) this.share(e);
        if (events.length < this.opts.batchSize) return;
        // Let sockets drain between batches (SQLite answers without yielding to I/O).
        await turn();
      }
    } catch (err) {
      this.log.error({ err }, 'outbox relay failed; the next poll retries');
    }
  }

  private share(e: PublishedEvent): void {
    const p = this.hooks.share!(e)
      .catch((err: unknown) =>
        this.log.warn(
          { err, eventId: e.id },
          'sharing an event with the other instances failed; they read it from the store',
        ),
      )
      .finally(() => this.sharing.delete(p));
    this.sharing.add(p);
  }
}
