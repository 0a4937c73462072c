import { performance } from 'node:perf_hooks';

/**
 * How long a refused client is told to wait (Retry-After), from how many come back. A queue's own estimate (how long
 * the work ahead takes) stays short by design, since new work is refused once it reaches the bound; told to come
 * back in 1 or 2 s, every refused client of a surge did, and refusing their retries took the server more time than
 * the reports (247,621 answers of 503 for 10,000 reports in the burst bench). So, per window: clients refused in it
 * come back after the current wait and are served at the rate work was admitted in it; the wait is scaled by
 * refused / admitted, between 1 s and `maxSeconds`. It grows while refusals outnumber admissions and falls back once
 * they do not; a window without refusals, or an idle one, returns it to 1 s.
 */
export class RetryPacer {
  private seconds = 1;
  private refused = 0;
  private admitted = 0;
  private windowStart: number;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 1000,
    private readonly maxSeconds = 60,
  ) {
    this.windowStart = now();
  }

  /** The request was let through. */
  admit(): void {
    this.roll();
    this.admitted++;
  }

  /** The seconds a refusal now would say, without counting one. */
  get wait(): number {
    this.roll();
    return this.seconds;
  }

  /** The request is refused: the seconds it should wait, at least `atLeast` (the queue's own estimate). */
  refuse(atLeast: number): number {
    this.roll();
    this.refused++;
    return Math.min(this.maxSeconds, Math.max(1, Math.ceil(atLeast), this.seconds));
  }

  private roll(): void {
    const t = this.now();
    const elapsed = t - this.windowStart;
    if (elapsed < this.windowMs) return;
    if (elapsed >= 2 * this.windowMs || this.refused === 0) this.seconds = 1;
    else {
      const scaled = Math.ceil((this.seconds * this.refused) / Math.max(1, this.admitted));
      this.seconds = Math.min(this.maxSeconds, Math.max(1, scaled));
    }
    this.refused = 0;
    this.admitted = 0;
    this.windowStart = t;
  }
}
