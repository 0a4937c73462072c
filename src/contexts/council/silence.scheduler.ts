import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { CouncilService } from './proposal.service.ts';

export interface SchedulerOptions {
  /** Upper bound between two looks at the store (deadlines set by other instances). */
  pollMs?: number;
}

/**
 * The durable deadline scheduler of the silence procedure. Deadlines live in the store, not in
 * memory: on start every overdue proposal is settled before start() resolves (restart or crash
 * recovery), then a timer is armed for the nearest deadline (at most `pollMs` ahead, so deadlines
 * created by other instances are seen too). Settling is idempotent and races between instances
 * are decided in the store (see CouncilService.settle), so each proposal is settled exactly once.
 */
export class SilenceScheduler {
  private timer: NodeJS.Timeout | undefined;
  /** Wall-clock time (ms) the armed timer fires at. */
  private timerAt = 0;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly pollMs: number;

  constructor(
    private readonly council: CouncilService,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: SchedulerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 500;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.sweep();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** A new deadline was committed in this instance: re-arm if it is earlier than the current timer. */
  wake(silenceEndsAt?: string): void {
    if (this.stopped) return;
    const due = silenceEndsAt ? Date.parse(silenceEndsAt) - this.clock.now().getTime() : 0;
    if (due < this.pollMs) this.arm(Math.max(0, due));
  }

  /** Arms the timer unless an earlier one is already armed. */
  private arm(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sweep();
    }, delayMs);
    this.timer.unref();
  }

  private sweep(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      let next = this.pollMs;
      try {
        const n = await this.council.settleDue();
        if (n > 0) this.log.info({ settled: n }, 'council: silence procedures settled');
        const deadline = await this.council.nextDeadline();
        if (deadline !== undefined)
          next = Math.min(this.pollMs, Math.max(0, Date.parse(deadline) - this.clock.now().getTime()));
      } catch (e) {
        this.log.error({ err: e }, 'council: settling silence procedures failed; retrying');
      } finally {
        this.running = undefined;
      }
      this.arm(next);
    })();
    return this.running;
  }
}
