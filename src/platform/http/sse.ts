import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Reader } from '../../kernel/access/releasability.ts';
import type { EventBus } from '../events/bus.ts';
import { mayReceive, sseFrame, type PublishedEvent } from '../events/event.ts';
import type { EventIdCodec } from '../events/event-id.ts';
import { Gate, replayPaged, type ReplaySource } from './sse-replay.ts';
import {
  boundsOf,
  stillReleased,
  withinBounds,
  type CurrentReleases,
  type CurrentReleaseSource,
} from '../events/current-release.ts';

export type { ReplaySource } from './sse-replay.ts';

export interface SseOptions {
  heartbeatMs: number;
  maxQueuedBytes: number;
  maxHeldEvents: number;
}

/** How many streams, and how often their credentials are checked again. */
export interface SseLimits {
  /** Streams one user may hold at once. */
  perUser: number;
  /** Streams the hub holds at once. */
  total: number;
  /** Every open stream's credentials are checked again this often (the token cache's window). */
  recheckMs: number;
  /** Events read from the store per replay page. */
  replayPage: number;
  /** Subscribers reading a replay page from the store at once. */
  replayReaders: number;
}

export const DEFAULT_SSE_LIMITS: SseLimits = {
  perUser: 16,
  total: 2000,
  recheckMs: 5_000,
  replayPage: 200,
  replayReaders: 4,
};

/** The credentials a stream was opened with: checked again while it is open. */
export interface StreamCredential {
  /** Identifies the credential (streams opened with the same one are checked once). */
  key: string;
  /** False once the token is revoked or expired or its user disabled; the stream then ends. */
  stillValid(): Promise<boolean>;
}

export interface StreamRequest {
  reader: Reader;
  /** The user holding the stream (counted against its limit). */
  userId: string;
  credential: StreamCredential;
  /** Resume after this event id (Last-Event-ID); undefined: live events only. */
  after: number | undefined;
  /** Only these event names; undefined: all. */
  names: ReadonlySet<string> | undefined;
}

interface Subscriber {
  res: ServerResponse;
  reader: Reader;
  userId: string;
  credential: StreamCredential;
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
  /** Streams ended because their credentials no longer hold. */
  revoked = 0;
  private readonly perUser = new Map<string, number>();
  private readonly recheckTimer: NodeJS.Timeout;
  private rechecking: Promise<void> | null = null;
  private readonly replayGate: Gate;
  /** Live events of the current relay round, per subscriber, sent together on the next tick. */
  private round: Map<Subscriber, PublishedEvent[]> | null = null;
  /** Each event's frame, built once with this hub's codec and shared by every subscriber. */
  private readonly frames = new WeakMap<PublishedEvent, Frame>();
  /** Events from the bus waiting for the current release of what they name; delivered in id order. */
  private arriving: PublishedEvent[] = [];
  private checking = false;

  constructor(
    private readonly bus: EventBus,
    private readonly source: ReplaySource & CurrentReleaseSource,
    private readonly opts: SseOptions,
    private readonly log: SseLog,
    /** How ids go out (enciphered: subscribers never see the store's numbering). */
    private readonly ids: EventIdCodec,
    private readonly stats?: SseStats,
    private readonly limits: SseLimits = DEFAULT_SSE_LIMITS,
  ) {
    this.unsubscribe = bus.subscribe((e) => this.arrive(e));
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs);
    this.heartbeat.unref();
    // A periodic round is skipped while one is still running (rounds never pile up on a slow store).
    this.recheckTimer = setInterval(() => void (this.rechecking ?? this.recheck()), limits.recheckMs);
    this.recheckTimer.unref();
    this.replayGate = new Gate(limits.replayReaders);
  }

  get size(): number {
    return this.subs.size;
  }

  /** Streams `userId` holds now. */
  heldBy(userId: string): number {
    return this.perUser.get(userId) ?? 0;
  }

  /** Why one more stream for `userId` may not open now, or undefined when it may. */
  refusal(userId: string): 'user-limit' | 'total-limit' | undefined {
    if (this.heldBy(userId) >= this.limits.perUser) return 'user-limit';
    if (this.subs.size >= this.limits.total) return 'total-limit';
    return undefined;
  }

  /**
   * Checks every open stream's credentials again (or only `userId`'s) and ends those that no longer
   * hold: a revoked or expired token, a disabled user. Each credential is checked once per round.
   */
  recheck(userId?: string): Promise<void> {
    const run = async (): Promise<void> => {
      const verdicts = new Map<string, Promise<boolean>>();
      for (const sub of [...this.subs]) {
        if (sub.closed || (userId !== undefined && sub.userId !== userId)) continue;
        let v = verdicts.get(sub.credential.key);
        if (!v) {
          // A check that fails (the store unreachable) ends the stream: it resumes once the store answers.
          v = sub.credential.stillValid().catch((err: unknown) => {
            this.log.warn({ err }, "sse: could not check a stream's credentials; ending it");
            return false;
          });
          verdicts.set(sub.credential.key, v);
        }
        if (!(await v) && !sub.closed) {
          this.revoked++;
          this.log.info({ lastEventId: sub.lastSent }, 'sse: ended a stream whose credentials no longer hold');
          this.remove(sub);
          sub.res.end();
        }
      }
    };
    // Rounds never overlap; a round asked for during one runs after it.
    const next = (this.rechecking ?? Promise.resolve()).then(run).finally(() => {
      if (this.rechecking === next) this.rechecking = null;
    });
    this.rechecking = next;
    return next;
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
      userId: req.userId,
      credential: req.credential,
      names: req.names,
      lastSent: req.after ?? this.bus.lastId,
      replaying: req.after !== undefined,
      held: [],
      overflow: false,
      closed: false,
      corked: false,
    };
    this.subs.add(sub);
    this.perUser.set(sub.userId, this.heldBy(sub.userId) + 1);
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
    clearInterval(this.recheckTimer);
    this.unsubscribe();
    this.arriving = [];
    for (const sub of this.subs) {
      sub.closed = true;
      sub.res.end();
    }
    this.subs.clear();
    this.perUser.clear();
    this.stats?.set(0);
  }

  private async replay(sub: Subscriber): Promise<void> {
    const oldest = await this.source.minEventId();
    if (oldest !== undefined && sub.lastSent < oldest - 1) {
      // Events between the client's position and the oldest kept one were pruned: say so.
      sub.res.write(
        `event: stream.truncated\ndata: ${JSON.stringify({ id: 'stream', oldestEventId: this.ids.encode(oldest), lastEventId: this.ids.encode(sub.lastSent) })}\n\n`,
      );
    }
    const sink = {
      write: (e: PublishedEvent) => this.write(sub, e),
      // Frames go straight to the socket (send), so the response alone never reports that it needs draining:
      // without the socket's own mark a subscriber that stopped reading took the whole replay into memory.
      needsDrain: () => sub.res.writableNeedDrain || sub.res.socket?.writableNeedDrain === true,
      drained: () => drained(sub.res),
      isClosed: () => sub.closed,
    };
    for (;;) {
      const done = await replayPaged(
        this.source,
        { reader: sub.reader, after: sub.lastSent, names: sub.names },
        sink,
        this.limits.replayPage,
        this.replayGate,
      );
      if (done === 'closed') return;
      if (!sub.overflow) {
        // Live events held during the replay were checked when they arrived; a narrowing may have committed
        // since (a replay can be long), so they are checked again against the objects' current release.
        const held = sub.held;
        sub.held = [];
        const current = held.length > 0 ? await this.source.currentReleases(held) : NONE;
        if (sub.closed) return;
        if (!sub.overflow) {
          // What arrived during that read was checked on arrival, just now.
          const late = sub.held;
          sub.held = [];
          sub.replaying = false;
          for (const e of held) if (e.id > sub.lastSent && stillReleased(sub.reader, e, current)) this.write(sub, e);
          for (const e of late) if (e.id > sub.lastSent) this.write(sub, e);
          return;
        }
      }
      // Too many live events arrived during the replay: they are in the store, read on.
      sub.overflow = false;
      sub.held = [];
    }
  }

  /**
   * Takes an event from the bus. Delivery decides against the current release of the objects it names,
   * read once per batch after the relay handed the batch on: an event about an older, wider version that
   * the relay read before the author's narrowing committed reaches only those who may read the object now.
   */
  private arrive(e: PublishedEvent): void {
    this.arriving.push(e);
    if (this.checking) return;
    this.checking = true;
    // After the bus's synchronous hand-over, so that one read serves the whole batch.
    queueMicrotask(() => void this.deliverArrived());
  }

  private async deliverArrived(): Promise<void> {
    try {
      while (this.arriving.length > 0) {
        const batch = this.arriving;
        this.arriving = [];
        if (this.subs.size === 0) continue;
        let current: CurrentReleases;
        try {
          current = await this.source.currentReleases(batch);
        } catch (err) {
          // Fail closed: nothing goes out unchecked; the streams end and resume by replay, which filters in SQL.
          this.log.warn({ err }, 'sse: could not read the current release of events; ending the streams');
          for (const sub of [...this.subs]) {
            this.remove(sub);
            sub.res.end();
          }
          continue;
        }
        for (const e of batch) this.deliver(e, current);
      }
    } finally {
      this.checking = false;
    }
  }

  private deliver(e: PublishedEvent, current: CurrentReleases): void {
    // Once per event, not per subscriber: the releases that bound it (parsing a link's payload included).
    const bounds = boundsOf(e, current);
    for (const sub of this.subs) {
      if (sub.closed || e.id <= sub.lastSent) continue;
      if (sub.names && !sub.names.has(e.event)) continue;
      if (!mayReceive(sub.reader, e) || !withinBounds(sub.reader, bounds)) continue;
      if (sub.replaying) {
        if (sub.held.length >= this.opts.maxHeldEvents) {
          sub.held = [];
          sub.overflow = true;
        } else if (!sub.overflow) sub.held.push(e);
        continue;
      }
      this.enqueue(sub, e);
    }
  }

  /**
   * A live event for `sub`, sent with the others of this relay round: each stream gets one socket write per
   * round, and streams that receive the same events in a round (every stream of one audience class) share
   * one buffer, built once, so memory per subscriber is its socket's backlog, bounded by maxQueuedBytes.
   */
  private enqueue(sub: Subscriber, e: PublishedEvent): void {
    if (e.id <= sub.lastSent) return;
    sub.lastSent = e.id;
    if (this.round === null) {
      this.round = new Map();
      process.nextTick(() => this.flush());
    }
    const events = this.round.get(sub);
    if (events) events.push(e);
    else this.round.set(sub, [e]);
  }

  private flush(): void {
    const round = this.round;
    this.round = null;
    if (round === null) return;
    const shared = new Map<string, Frame>();
    for (const [sub, events] of round) {
      if (sub.closed) continue;
      // What the socket has not taken of earlier rounds: past the limit, the subscriber stopped reading. This
      // round's buffer is shared with the other streams of its audience, so each holds at most the limit
      // of its own beyond it.
      if (sub.res.writableLength > this.opts.maxQueuedBytes) {
        this.drop(sub);
        continue;
      }
      let frame: Frame;
      if (events.length === 1) frame = this.frameOf(events[0]!);
      else {
        const key = events.map((e) => e.id).join(',');
        let f = shared.get(key);
        if (f === undefined) shared.set(key, (f = framed(events.map((e) => this.frameOf(e).text).join(''))));
        frame = f;
      }
      this.send(sub, frame);
    }
  }

  private frameOf(e: PublishedEvent): Frame {
    let frame = this.frames.get(e);
    if (frame === undefined) this.frames.set(e, (frame = framed(sseFrame(e, this.ids))));
    return frame;
  }

  private write(sub: Subscriber, e: PublishedEvent): void {
    if (e.id <= sub.lastSent) return;
    sub.lastSent = e.id;
    if (!sub.corked) {
      // Replayed events written in one turn leave in one socket write.
      sub.corked = true;
      sub.res.cork();
      process.nextTick(() => {
        sub.corked = false;
        sub.res.uncork();
      });
    }
    this.send(sub, this.frameOf(e));
  }

  private send(sub: Subscriber, frame: Frame): void {
    const socket = sub.res.socket;
    // The frame goes out as the bytes of one HTTP chunk, encoded once for every subscriber, straight to the
    // socket: through res.write each subscriber encoded the text again and wrote three pieces. Only once
    // the response owns its socket and holds nothing back (else the response's own queue keeps the order).
    if (sub.res.chunkedEncoding && socket && sub.res.headersSent && sub.res.writableLength === socket.writableLength)
      socket.write(frame.chunk);
    else sub.res.write(frame.text);
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
    this.log.info(
      { lastEventId: sub.lastSent, queued: sub.res.writableLength },
      'sse: dropped a subscriber that stopped reading',
    );
    this.remove(sub);
    sub.res.destroy();
  }

  private remove(sub: Subscriber): void {
    sub.closed = true;
    if (!this.subs.delete(sub)) return;
    const n = this.heldBy(sub.userId) - 1;
    if (n > 0) this.perUser.set(sub.userId, n);
    else this.perUser.delete(sub.userId);
    this.stats?.set(this.subs.size);
  }
}

const NONE: CurrentReleases = new Map();

/** An event's SSE frame as text, and as the bytes of one HTTP/1.1 chunk (length line, frame, CRLF). */
interface Frame {
  text: string;
  chunk: Buffer;
}

function framed(text: string): Frame {
  const body = Buffer.from(text, 'utf8');
  const head = `${body.length.toString(16)}\r\n`;
  const chunk = Buffer.allocUnsafe(head.length + body.length + 2);
  chunk.write(head, 0, 'latin1');
  body.copy(chunk, head.length);
  chunk.write('\r\n', head.length + body.length, 'latin1');
  return { text, chunk };
}

/** Resolves once the response or its socket (frames written straight to it) drained, or the stream closed. */
function drained(res: ServerResponse): Promise<void> {
  const socket = res.socket;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      socket?.off('drain', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
    socket?.on('drain', done);
  });
}
