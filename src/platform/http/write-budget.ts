import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';

export interface WriteBudgetOptions {
  /** Request-body bytes each user may write per minute; 0: no limit. */
  bytesPerMinute: number;
  /** Event-loop milliseconds each user's writes may take per minute; 0: no limit. */
  cpuMsPerMinute: number;
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
    return Math.max(this.o.bytesPerMinute > 0 ? this.bucket(this.bytes, user, this.o.bytesPerMinute).wait(now) : 0, this.o.cpuMsPerMinute > 0 ? this.bucket(this.cpu, user, this.o.cpuMsPerMinute).wait(now) : 0);
  }

  chargeBytes(user: string, n: number): void {
    if (this.o.bytesPerMinute > 0) this.bucket(this.bytes, user, this.o.bytesPerMinute).take(n, this.now());
  }

  chargeCpu(user: string, ms: number): void {
    if (this.o.cpuMsPerMinute > 0) this.bucket(this.cpu, user, this.o.cpuMsPerMinute).take(ms, this.now());
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

/** A 429 that the REST and TAXII error handlers both present; Retry-After is set on the reply. */
function budgetSpent(seconds: number): Error & { statusCode: number } {
  return Object.assign(new Error(`write budget spent: this user wrote more than its budget of bytes or processing time per minute; retry after ${seconds} s`), { statusCode: 429 });
}

/**
 * The hooks that enforce the budgets on every write by a signed-in user (REST and TAXII authenticate in
 * onRequest, so the user is known before the body is read): preParsing refuses a spent budget and counts the
 * body's bytes as they arrive; onResponse (or an abort) charges the write's share of event-loop time.
 */
export function writeBudgetHooks(budgets: WriteBudgets) {
  return {
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
    end: async (req: FastifyRequest): Promise<void> => budgets.end(req),
  };
}
