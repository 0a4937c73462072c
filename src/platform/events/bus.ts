import type { Logger } from '../log.ts';
import { turn } from '../loop-slice.ts';
import type { PublishedEvent } from './event.ts';

export type EventListener = (e: PublishedEvent) => void;

/** Reads published events after an id from the store, in id order (the source of truth). */
export type EventSource = (after: number, limit: number) => Promise<PublishedEvent[]>;

/** Events read from the store at a time, by default. */
const PAGE = 500;
/** Events held back past a hole at most, by default. */
const MAX_HELD = 10_000;

/**
 * The in-process bus. Events reach it from the local relay, from NATS (other instances) and from
 * the store (poll, gap fill); each is delivered to the listeners exactly once and in id order.
 * Event ids are dense, so an arrival past a hole means another instance's event is on its way:
 * it is held back and the hole is filled from the store, which holds every id below any
 * committed one.
 */
export class EventBus {
  private position = 0;
  private readonly held = new Map<number, PublishedEvent>();
  private readonly listeners = new Set<EventListener>();
  private fetching: Promise<void> | null = null;
  private fetchAgain = false;

  constructor(
    private readonly source: EventSource,
    private readonly log: Logger,
    private readonly limits: {
      /** Events held back past a hole at most; past it they are dropped and read from the store. */
      maxHeld?: number;
      /**
       * Events read from the store at a time; the loop gets a turn between reads, so each read is one round
       * for the streams (one socket write each) and a stream that stopped reading is dropped once its backlog
       * passes its bound, as with the relay's batches. On SQLite every committed row is readable here at once,
       * so the poll's catch-up could otherwise hand the streams everything since the last pass in one round.
       */
      page?: number;
    } = {},
  ) {}

  /** The id of the last event delivered. */
  get lastId(): number {
    return this.position;
  }

  /** Sets the starting point (the newest event id in the store when the process starts). */
  startAt(position: number): void {
    this.position = Math.max(this.position, position);
  }

  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Offers events from any source; duplicates and already-delivered ids are ignored. */
  offer(events: readonly PublishedEvent[]): void {
    for (const e of events) if (e.id > this.position) this.held.set(e.id, e);
    this.drain();
    if (this.held.size === 0) return;
    if (this.held.size > (this.limits.maxHeld ?? MAX_HELD)) this.held.clear();
    void this.catchUp();
  }

  /** Delivers whatever the store has after the current position. */
  catchUp(): Promise<void> {
    if (this.fetching) {
      this.fetchAgain = true;
      return this.fetching;
    }
    this.fetching = this.fetchLoop().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private async fetchLoop(): Promise<void> {
    try {
      do {
        this.fetchAgain = false;
        for (;;) {
          const page = this.limits.page ?? PAGE;
          const batch = await this.source(this.position, page);
          // A read of the store is a committed prefix: deliver it in order, past any pruned hole.
          for (const e of batch) if (e.id > this.position) this.emit(e);
          this.forgetDelivered();
          this.drain();
          if (batch.length < page) break;
          await turn();
        }
      } while (this.fetchAgain);
    } catch (err) {
      this.log.warn({ err }, 'event bus: reading the outbox failed; the next poll retries');
    }
  }

  private drain(): void {
    for (;;) {
      const next = this.held.get(this.position + 1);
      if (!next) return;
      this.held.delete(next.id);
      this.emit(next);
    }
  }

  private forgetDelivered(): void {
    for (const id of this.held.keys()) if (id <= this.position) this.held.delete(id);
  }

  private emit(e: PublishedEvent): void {
    this.position = e.id;
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch (err) {
        this.log.error({ err, eventId: e.id }, 'event listener failed');
      }
    }
  }
}
