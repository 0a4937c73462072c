import {
  connect,
  DeliverPolicy,
  JSONCodec,
  nanos,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type NatsConnection,
} from 'nats';
import type { Logger } from '../log.ts';
import type { PublishedEvent } from './event.ts';
import { isTlp } from '../../kernel/access/tlp.ts';

export interface NatsOptions {
  url: string;
  /** JetStream stream name, e.g. BULWARK_EVENTS. */
  stream: string;
  /** Subject the events are published on, e.g. bulwark.events. */
  subject: string;
  /** How long the stream keeps events (ms). */
  maxAgeMs: number;
}

const codec = JSONCodec<PublishedEvent>();

/**
 * Shares published events between server instances through a JetStream stream. The message id
 * is the event id, so a republished event is dropped by the stream's duplicate window. Every
 * instance reads the stream with an ordered consumer and offers what arrives to its bus.
 */
export class NatsLink {
  private messages: ConsumerMessages | null = null;
  private reading: Promise<void> | null = null;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly opts: NatsOptions,
    private readonly log: Logger,
  ) {}

  static async connect(opts: NatsOptions, log: Logger): Promise<NatsLink> {
    const nc = await connect({ servers: opts.url, name: 'bulwark', maxReconnectAttempts: -1 });
    const jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.info(opts.stream);
    } catch {
      await jsm.streams.add({
        name: opts.stream,
        subjects: [opts.subject],
        storage: StorageType.File,
        max_age: nanos(opts.maxAgeMs),
        duplicate_window: nanos(120_000),
      });
    }
    return new NatsLink(nc, nc.jetstream(), opts, log);
  }

  /** Publishes one event; resolves when the stream stored it (or knew it already). */
  async publish(e: PublishedEvent): Promise<void> {
    await this.js.publish(this.opts.subject, codec.encode(e), { msgID: String(e.id) });
  }

  /** Reads every event published from now on (any instance) into `onEvent`. */
  async consume(onEvent: (e: PublishedEvent) => void): Promise<void> {
    const consumer = await this.js.consumers.get(this.opts.stream, {
      deliver_policy: DeliverPolicy.New,
      filterSubjects: this.opts.subject,
    });
    const messages = await consumer.consume();
    this.messages = messages;
    this.reading = (async () => {
      for await (const m of messages) {
        const e = decode(m.data);
        if (e) onEvent(e);
        else this.log.warn({ seq: m.seq }, 'nats: ignored a malformed event message');
      }
    })().catch((err: unknown) => this.log.error({ err }, 'nats: consumer stopped'));
  }

  async close(): Promise<void> {
    if (this.messages) await this.messages.close().catch(() => undefined);
    await this.reading;
    await this.nc.drain().catch(() => undefined);
  }

  /** Deletes the stream (tests isolate themselves with one stream each). */
  async deleteStream(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await jsm.streams.delete(this.opts.stream);
  }
}

function decode(data: Uint8Array): PublishedEvent | undefined {
  try {
    const e = codec.decode(data);
    const strings = [e.event, e.objectId, e.author, e.payload, e.createdAt];
    if (!Number.isSafeInteger(e.id) || strings.some((v) => typeof v !== 'string') || !Array.isArray(e.audience))
      return undefined;
    return { ...e, tlp: isTlp(e.tlp) ? e.tlp : 'red' };
  } catch {
    return undefined;
  }
}
