import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import { DomainError } from '../errors.ts';
import { RetryPacer } from './retry-pacer.ts';

export interface WriteBudgetOptions {
  /** Request-body bytes each user may write per minute; 0: no limit. */
  bytesPerMinute: number;
  /** Event-loop milliseconds each user's writes may take per minute; 0: no limit. */
  cpuMsPerMinute: number;
  /** Writes that run at once (the others wait, fairly between users); 0: no limit. */
  concurrentWrites?: number;
  /** How many writes may wait, and how long, before new ones answer 503 (with concurrentWrites only). */
  queue?: WriteQueueBounds;
  /** Milliseconds; tests pass their own clock. */
  now?: () => number;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A token bucket that refills `perMinute` evenly and may be overdrawn by the request that empties it. */
class Bucket {
  private level: number;
  private at: number;
  constructor(
    private readonly perMinute: number,
    now: number,
  ) {
    this.level = perMinute;
    this.at = now;
  }

  private refill(now: number): void {
    this.level = Math.min(this.perMinute, this.level + ((now - this.at) * this.perMinute) / 60_000);
    this.at = now;
  }

  /** Seconds until something may be written again; 0 when now. */
  wait(now: number): number {
    this.refill(now);
    return this.level > 0 ? 0 : Math.max(1, Math.ceil(((1 - this.level) * 60_000) / this.perMinute / 1000));
  }

  take(amount: number, now: number): void {
    this.refill(now);
    this.level -= amount;
  }

  full(now: number): boolean {
    this.refill(now);
    return this.level >= this.perMinute;
  }
}

/**
 * Per-user budgets of bytes written and event-loop time spent by writes (POST, PUT, PATCH, DELETE), each a
 * token bucket refilled over a minute. A write arriving when either is spent answers 429 with Retry-After;
 * the request that spends it goes through (a bundle larger than a minute's budget is not refused forever,
 * its author then waits in proportion). The request rate alone did not bound either: one maximal report
 * costs far more than a small one.
 *
 * Event-loop time is an estimate: the loop's active time (eventLoopUtilization) is shared equally among the
 * writes in flight, so concurrent writes are each charged their share of it.
 */
export class WriteBudgets {
  private readonly bytes = new Map<string, Bucket>();
  private readonly cpu = new Map<string, Bucket>();
  private readonly inflight = new Map<FastifyRequest, { user: string; ms: number }>();
  private readonly recent = new Map<string, number>();
  private readonly recentAt = new Map<string, number>();
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly now: () => number;

  constructor(private readonly o: WriteBudgetOptions) {
    this.now = o.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.o.bytesPerMinute > 0 || this.o.cpuMsPerMinute > 0;
  }

  /** Seconds the user must wait before writing again (0: may write now). */
  wait(user: string): number {
    const now = this.now();
    return Math.max(
      this.o.bytesPerMinute > 0 ? this.bucket(this.bytes, user, this.o.bytesPerMinute).wait(now) : 0,
      this.o.cpuMsPerMinute > 0 ? this.bucket(this.cpu, user, this.o.cpuMsPerMinute).wait(now) : 0,
    );
  }

  chargeBytes(user: string, n: number): void {
    if (this.o.bytesPerMinute > 0) this.bucket(this.bytes, user, this.o.bytesPerMinute).take(n, this.now());
  }

  chargeCpu(user: string, ms: number): void {
    if (this.o.cpuMsPerMinute > 0) this.bucket(this.cpu, user, this.o.cpuMsPerMinute).take(ms, this.now());
    this.recent.set(user, this.recentUse(user) + ms);
    this.recentAt.set(user, this.now());
  }

  /** Event-loop milliseconds the user's writes took lately (halving every 10 s), whatever the budgets. */
  recentUse(user: string): number {
    const at = this.recentAt.get(user);
    if (at === undefined) return 0;
    const v = (this.recent.get(user) ?? 0) * 0.5 ** ((this.now() - at) / 10_000);
    if (v < 0.01 && this.recent.size > 10_000) {
      this.recent.delete(user);
      this.recentAt.delete(user);
    }
    return v;
  }

  /** A write starts: from now on it has its share of the event loop's active time. */
  begin(req: FastifyRequest, user: string): void {
    this.settle();
    this.inflight.set(req, { user, ms: 0 });
  }

  /** A write ended: its share is charged to its user. */
  end(req: FastifyRequest): void {
    if (!this.inflight.has(req)) return;
    this.settle();
    const e = this.inflight.get(req)!;
    this.inflight.delete(req);
    this.chargeCpu(e.user, e.ms);
  }

  private settle(): void {
    const now = performance.eventLoopUtilization();
    const active = performance.eventLoopUtilization(now, this.last).active;
    this.last = now;
    if (this.inflight.size === 0) return;
    const share = active / this.inflight.size;
    for (const e of this.inflight.values()) e.ms += share;
  }

  private bucket(map: Map<string, Bucket>, user: string, perMinute: number): Bucket {
    let b = map.get(user);
    if (!b) {
      if (map.size >= 10_000) for (const [k, v] of map) if (v.full(this.now())) map.delete(k);
      b = new Bucket(perMinute, this.now());
      map.set(user, b);
    }
    return b;
  }
}

/**
 * At most `slots` writes run at once; the others wait, and a freed slot goes to the waiting write whose user
 * has the fewest writes running and, among those, took the least event-loop time lately. Eight users posting
 * maximal reports back to back held every other writer behind all of their requests (4-8 s, more on a loaded
 * machine); now a user who writes little waits for the writes running, not for everyone's queue.
 */
export class WriteGate {
  private readonly running = new Map<string, number>();
  private total = 0;
  private readonly waiting: Array<{ user: string; req: object; go: () => void; since: number }> = [];
  private readonly admitted = new Map<object, { user: string; at: number }>();
  /** Mean time a write held its slot lately (ms), for Retry-After. */
  private serviceMs = 10;
  private readonly now: () => number;
  private readonly pacer: RetryPacer;

  constructor(
    private readonly slots: number,
    private readonly recentUse: (user: string) => number,
    private readonly bounds: WriteQueueBounds = { maxQueued: 0, maxWaitMs: 0 },
  ) {
    this.now = bounds.now ?? (() => performance.now());
    this.pacer = new RetryPacer(this.now);
  }

  /**
   * Seconds a new write should wait before it comes back, when the queue is past its bounds (as many writes
   * waiting as allowed, or the oldest waiting longer than allowed); undefined when it may queue. A burst
   * larger than the server writes then gets 503 and Retry-After instead of a wait that grows without bound.
   */
  refusal(): number | undefined {
    const { maxQueued, maxWaitMs } = this.bounds;
    const n = this.waiting.length;
    let oldest = this.now();
    for (const w of this.waiting) oldest = Math.min(oldest, w.since);
    const lag = this.bounds.lagMs?.() ?? 0;
    const full = maxQueued > 0 && n >= maxQueued;
    const late = maxWaitMs > 0 && (this.now() - oldest >= maxWaitMs || lag >= maxWaitMs);
    if (!full && !late) return undefined;
    // The time the queue ahead (or the loop's backlog) takes at the recent pace, in whole seconds (1 to 60),
    // stretched while refused writes outnumber admitted ones (RetryPacer): they all come back.
    const ahead = Math.max(((n + 1) * this.serviceMs) / Math.max(1, this.slots), lag);
    return this.pacer.refuse(ahead / 1000);
  }

  /** Resolves when the write may run. */
  enter(req: object, user: string): Promise<void> {
    this.pacer.admit();
    return new Promise((go) => {
      this.waiting.push({ user, req, go, since: this.now() });
      this.next();
    });
  }

  /** The write ended (or was abandoned while waiting). */
  leave(req: object): void {
    const entry = this.admitted.get(req);
    if (entry === undefined) {
      const i = this.waiting.findIndex((w) => w.req === req);
      if (i >= 0) this.waiting.splice(i, 1);
      return;
    }
    const user = entry.user;
    this.serviceMs = 0.9 * this.serviceMs + 0.1 * (this.now() - entry.at);
    this.admitted.delete(req);
    this.total--;
    const n = (this.running.get(user) ?? 1) - 1;
    if (n === 0) this.running.delete(user);
    else this.running.set(user, n);
    this.next();
  }

  get queued(): number {
    return this.waiting.length;
  }

  private next(): void {
    while (this.total < this.slots && this.waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < this.waiting.length; i++)
        if (this.before(this.waiting[i]!.user, this.waiting[best]!.user)) best = i;
      const [w] = this.waiting.splice(best, 1);
      this.total++;
      this.running.set(w!.user, (this.running.get(w!.user) ?? 0) + 1);
      this.admitted.set(w!.req, { user: w!.user, at: this.now() });
      w!.go();
    }
  }

  private before(a: string, b: string): boolean {
    const ra = this.running.get(a) ?? 0;
    const rb = this.running.get(b) ?? 0;
    return ra !== rb ? ra < rb : this.recentUse(a) < this.recentUse(b);
  }
}

/** Bounds of the gate's queue; 0: no bound. */
export interface WriteQueueBounds {
  /** Writes that may wait at once; one more answers 503 with Retry-After. */
  maxQueued: number;
  /** Once the oldest waiting write has waited this long (ms), new writes answer 503 with Retry-After. */
  maxWaitMs: number;
  /**
   * How far behind the event loop is (ms). On SQLite a write never yields to the loop, so a burst waits in
   * the sockets, not in this queue: the loop's lag is then what a new write would wait; it counts against
   * maxWaitMs too.
   */
  lagMs?: () => number;
  /** Milliseconds; tests pass their own clock. */
  now?: () => number;
}

/**
 * The event loop's lag: a timer due every `everyMs` measures how late it fires; the figure is the worst lag
 * seen lately (halving every 250 ms), so a burst's backlog shows until it is worked off.
 */
export class LoopLag {
  private lag = 0;
  private at = performance.now();
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly everyMs = 20) {
    let due = performance.now() + everyMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.observe(now - due, now);
      due = now + everyMs;
    }, everyMs);
    this.timer.unref();
  }

  private observe(late: number, now: number): void {
    this.lag = Math.max(Math.max(0, late), this.current(now));
    this.at = now;
  }

  private current(now: number): number {
    return this.lag * 0.5 ** ((now - this.at) / 250);
  }

  /** Milliseconds the loop is behind lately. */
  get ms(): number {
    return this.current(performance.now());
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** A 503 for a write refused because the queue of writes is past its bounds; Retry-After is set on the reply. */
function overloaded(seconds: number): DomainError {
  return new DomainError(
    'unavailable',
    // No count of the writes waiting: they include other members' writes, hidden ones too.
    `the server is behind with writes; nothing was stored; retry after ${seconds} s`,
  );
}

/** A 429 that the REST and TAXII error handlers both present; Retry-After is set on the reply. */
function budgetSpent(seconds: number): Error & { statusCode: number } {
  return Object.assign(
    new Error(
      `write budget spent: this user wrote more than its budget of bytes or processing time per minute; retry after ${seconds} s`,
    ),
    { statusCode: 429 },
  );
}

function refuseWhenBehind(gate: WriteGate | undefined, reply: FastifyReply): void {
  const retry = gate?.refusal();
  if (retry === undefined) return;
  void reply.header('retry-after', String(retry));
  throw overloaded(retry);
}

/**
 * The hooks that enforce the budgets on every write by a signed-in user (REST and TAXII authenticate in
 * onRequest, so the user is known before the body is read): onRequest (registered before authentication)
 * refuses any write while the gate's queue is past its bounds; preParsing refuses a spent budget and counts the
 * body's bytes as they arrive; preHandler checks the bounds again and waits for a slot of the gate; onResponse
 * (or an abort) charges the write's share of event-loop time and frees its slot.
 */
export function writeBudgetHooks(budgets: WriteBudgets, gate?: WriteGate, groupGate?: WriteGate) {
  const grouped = (req: FastifyRequest) =>
    (req.routeOptions.config as { groupCommit?: boolean } | undefined)?.groupCommit === true;
  return {
    onRequest: async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (!WRITES.has(req.method)) return;
      refuseWhenBehind(gate, reply);
      if (grouped(req)) refuseWhenBehind(groupGate, reply);
    },
    preParsing: async (req: FastifyRequest, reply: FastifyReply, payload: RequestPayload): Promise<RequestPayload> => {
      const user = req.actor?.userId;
      if (!user || !WRITES.has(req.method)) return payload;
      const wait = budgets.wait(user);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw budgetSpent(wait);
      }
      budgets.begin(req, user);
      const counted: Transform & { receivedEncodedLength?: number } = new Transform({
        transform(chunk: Buffer, _enc, done) {
          budgets.chargeBytes(user, chunk.length);
          // Fastify compares this with content-length once the body has been read.
          counted.receivedEncodedLength = (counted.receivedEncodedLength ?? 0) + chunk.length;
          done(null, chunk);
        },
      });
      payload.on('error', (e) => counted.destroy(e));
      return payload.pipe(counted);
    },
    // After the body has been read and validated: a client sending its body slowly holds no slot meanwhile.
    preHandler: async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const user = req.actor?.userId;
      if (!gate || !user || !WRITES.has(req.method)) return;
      // Checked again once the body is in: writes that arrived together all passed the first check.
      refuseWhenBehind(gate, reply);
      // A route whose writes share transactions (GroupCommit) would get all but `slots` of them kept out of
      // each transaction by this gate: they pass a gate of their own, as wide as a transaction's batch, so
      // that a burst past what the store takes still waits in a queue that refuses with 503 once behind,
      // instead of every report in flight sharing the CPU and all of them answering late.
      if (grouped(req)) {
        if (!groupGate) return;
        refuseWhenBehind(groupGate, reply);
        await groupGate.enter(req, user);
        return;
      }
      await gate.enter(req, user);
    },
    end: async (req: FastifyRequest): Promise<void> => {
      budgets.end(req);
      gate?.leave(req);
      groupGate?.leave(req);
    },
  };
}
