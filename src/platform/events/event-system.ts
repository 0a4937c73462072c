import { Counter } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { EventBus, type EventListener } from './bus.ts';
import type { EventNotifier } from './outbox.ts';
import { OutboxRepository } from './outbox.repository.ts';
import { OutboxRelay, type RelayOptions } from './relay.ts';
import { NatsLink } from './nats.ts';

export interface EventOptions extends RelayOptions {
  /** SSE comment line every so often keeps proxies and clients from timing out. */
  heartbeatMs: number;
  /**
   * Bytes a subscriber may have waiting in its socket before it is dropped (it then resumes).
   * Must exceed the largest burst (one relay batch of events), else a fast reader is dropped too.
   */
  maxQueuedBytes: number;
  /** Live events held per subscriber while its replay runs; past it the replay reads more. */
  maxHeldEvents: number;
  natsStream: string;
  natsSubject: string;
}

/** The live-event platform as the rest of the application sees it. */
export interface EventSystem {
  /** Call after committing outbox rows. */
  notifier: EventNotifier;
  /** In-process consumers (e.g. correlation): every published event once, in id order. */
  subscribe(fn: EventListener): () => void;
  bus: EventBus;
  outbox: OutboxRepository;
  relay: OutboxRelay;
  options: EventOptions;
  metrics: { relayed: Counter };
  /** Set when the events are shared over NATS JetStream. */
  nats: NatsLink | null;
  start(): Promise<void>;
  /** Stops the relay after its in-flight work, then closes NATS. */
  stop(): Promise<void>;
}

export interface EventSystemDeps {
  database: Database;
  log: Logger;
  clock: Clock;
  natsUrl?: string | undefined;
  /** Parsed from the environment by platform/config.ts (Config.events). */
  options: EventOptions;
}

export function createEventSystem(deps: EventSystemDeps): EventSystem {
  const options = deps.options;
  const outbox = new OutboxRepository(deps.database.db, deps.database.dialect);
  const bus = new EventBus((after, limit) => outbox.after(after, limit), deps.log, {
    page: options.batchSize,
  });
  const relayed = new Counter({
    name: 'bulwark_events_relayed_total',
    help: 'Outbox events published (on PostgreSQL, given their event id then)',
    registers: [],
  });
  let nats: NatsLink | null = null;
  const relay = new OutboxRelay(outbox, bus, deps.clock, deps.log, options, {
    relayed: (n) => relayed.inc(n),
    share: (e) => (nats ? nats.publish(e) : Promise.resolve()),
  });
  const system: EventSystem = {
    notifier: relay,
    subscribe: (fn) => bus.subscribe(fn),
    bus,
    outbox,
    relay,
    options,
    metrics: { relayed },
    get nats() {
      return nats;
    },
    async start() {
      // Subscribers start from what the store holds now; older events are replayed on request.
      bus.startAt(await outbox.maxEventId());
      if (deps.natsUrl) {
        const url = deps.natsUrl;
        try {
          nats = await NatsLink.connect(
            { url, stream: options.natsStream, subject: options.natsSubject, maxAgeMs: options.retainMs },
            deps.log,
          );
        } catch (err) {
          throw new Error(`NATS_URL: cannot reach JetStream at ${url}: ${(err as Error).message}`);
        }
        await nats.consume((e) => bus.offer([e]));
      }
      await relay.start();
    },
    async stop() {
      await relay.stop();
      if (nats) await nats.close();
    },
  };
  return system;
}
