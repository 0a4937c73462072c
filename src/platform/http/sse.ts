import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Reader } from '../../contexts/sharing/releasability.policy.ts';
import type { EventBus } from '../events/bus.ts';
import { mayReceive, sseFrame, type PublishedEvent } from '../events/event.ts';
import type { EventIdCodec } from '../events/event-id.ts';

export interface SseOptions {
  heartbeatMs: number;
  maxQueuedBytes: number;
  maxHeldEvents: number;
}

/** Reads what a reader may see after an id, in id order, filtered in SQL. */
export interface ReplaySource {
  replay(reader: Reader, after: number, names: ReadonlySet<string> | undefined, limit: number): Promise<PublishedEvent[]>;
  minEventId(): Promise<number | undefined>;
}

export interface StreamRequest {
  reader: Reader;
  /** Resume after this event id (Last-Event-ID); undefined: live events only. */
  after: number | undefined;
  /** Only these event names; undefined: all. */
  names: ReadonlySet<string> | undefined;
}

interface Subscriber {
  res: ServerResponse;
  reader: Reader;
  names: ReadonlySet<string> | undefined;
  lastSent: number;
  replaying: boolean;
  held: PublishedEvent[];
  overflow: boolean;
  closed: boolean;
  corked: boolean;
}

/** The two log levels the hub uses (pino and Fastify's logger both fit). */
export interface SseLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface SseStats {
  set(subscribers: number): void;
}

const REPLAY_PAGE = 500;

/**
 * Fans published events out to Server-Sent Events subscribers. Each subscriber sees only what
 * its organisation may read, in id order, without gaps or duplicates across a resume. A
 * subscriber whose socket stops draining is dropped once its backlog passes the limit, so it
 * never slows the others nor grows memory; its client reconnects with Last-Event-ID.
 */
export class SseHub {
  private readonly subs = new Set<Subscriber>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  /** Subscribers dropped for not draining. */
  dropped = 0;
  /** Each event's frame, built once with this hub's codec and shared by every subscriber. */
  private readonly frames = new WeakMap<PublishedEvent, string>();

  constructor(
    private readonly bus: EventBus,
    private readonly source: ReplaySource,
    private readonly opts: SseOptions,
    private readonly log: SseLog,
    /** How ids go out (enciphered: subscribers never see the store's numbering). */
    private readonly ids: EventIdCodec,
    private readonly stats?: SseStats,
  ) {
    this.unsubscribe = bus.subscribe((e) => this.deliver(e));
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.subs.size;
  }

  /** Takes over a response: writes the stream head, replays what was missed, then goes live. */
  async open(res: ServerResponse, headers: OutgoingHttpHeaders, req: StreamRequest): Promise<void> {
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.write('retry: 1000\n: connected\n\n');
    const sub: Subscriber = {
      res,
      reader: req.reader,
      names: req.names,
      lastSent: req.after ?? this.bus.lastId,
      replaying: req.after !== undefined,
      held: [],
      overflow: false,
      closed: false,
      corked: false,
    };
    this.subs.add(sub);
    this.stats?.set(this.subs.size);
    res.on('close', () => this.remove(sub));
    if (sub.replaying) {
      try {
        await this.replay(sub);
      } catch (err) {
        this.log.warn({ err }, 'sse: replay failed; closing the stream so that the client resumes');
        this.drop(sub);
      }
    }
  }

  /** Ends every stream (server shutdown); clients reconnect elsewhere and resume. */
  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const sub of this.subs) {
      sub.closed = true;
      sub.res.end();
    }
    this.subs.clear();
    this.stats?.set(0);
  }

  private async replay(sub: Subscriber): Promise<void> {
    const oldest = await this.source.minEventId();
    if (oldest !== undefined && sub.lastSent < oldest - 1) {
      // Events between the client's position and the oldest kept one were pruned: say so.
      sub.res.write(`event: stream.truncated\ndata: ${JSON.stringify({ id: 'stream', oldestEventId: this.ids.encode(oldest), lastEventId: this.ids.encode(sub.lastSent) })}\n\n`);
    }
    for (;;) {
      for (;;) {
        const page = await this.source.replay(sub.reader, sub.lastSent, sub.names, REPLAY_PAGE);
        if (sub.closed) return;
        for (const e of page) this.write(sub, e);
        if (sub.res.writableNeedDrain && !sub.closed) await drained(sub.res);
        if (sub.closed) return;
        if (page.length < REPLAY_PAGE) break;
      }
      if (!sub.overflow) break;
      // Too many live events arrived during the replay: they are in the store, read on.
      sub.overflow = false;
      sub.held = [];
    }
    const held = sub.held;
    sub.held = [];
    sub.replaying = false;
    for (const e of held) if (e.id > sub.lastSent) this.write(sub, e);
  }

  private deliver(e: PublishedEvent): void {
    for (const sub of this.subs) {
      if (sub.closed || e.id <= sub.lastSent) continue;
      if (sub.names && !sub.names.has(e.event)) continue;
      if (!mayReceive(sub.reader, e)) continue;
      if (sub.replaying) {
        if (sub.held.length >= this.opts.maxHeldEvents) {
          sub.held = [];
          sub.overflow = true;
        } else if (!sub.overflow) sub.held.push(e);
        continue;
      }
      this.write(sub, e);
      if (sub.res.writableLength > this.opts.maxQueuedBytes) this.drop(sub);
    }
  }

  private write(sub: Subscriber, e: PublishedEvent): void {
    if (e.id <= sub.lastSent) return;
    sub.lastSent = e.id;
    if (!sub.corked) {
      // Events delivered in one batch leave in one socket write.
      sub.corked = true;
      sub.res.cork();
      process.nextTick(() => {
        sub.corked = false;
        sub.res.uncork();
      });
    }
    let frame = this.frames.get(e);
    if (frame === undefined) this.frames.set(e, (frame = sseFrame(e, this.ids)));
    sub.res.write(frame);
  }

  private beat(): void {
    for (const sub of this.subs) {
      if (sub.closed || sub.replaying) continue;
      sub.res.write(': heartbeat\n\n');
      if (sub.res.writableLength > this.opts.maxQueuedBytes) this.drop(sub);
    }
  }

  private drop(sub: Subscriber): void {
    if (sub.closed) return;
    this.dropped++;
    this.log.info({ lastEventId: sub.lastSent, queued: sub.res.writableLength }, 'sse: dropped a subscriber that stopped reading');
    this.remove(sub);
    sub.res.destroy();
  }

  private remove(sub: Subscriber): void {
    sub.closed = true;
    if (this.subs.delete(sub)) this.stats?.set(this.subs.size);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
