import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { OrgKind } from '../../kernel/access/organisation.ts';
import type { BriefingService } from './briefing.service.ts';

/** The name a scheduled briefing records as its requester (it reads as its organisation, nothing more). */
export const DAILY_BRIEFING = 'daily-briefing';
const DAY_MS = 86_400_000;

/** The last daily run at or before `now`: today at `hour`:00 UTC, or yesterday's when that is still ahead. */
export function lastRun(now: Date, hour: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour);
  return new Date(today <= now.getTime() ? today : today - DAY_MS);
}

/**
 * The daily briefing per organisation (BULWARK_DAILY_BRIEFINGS, at BULWARK_DAILY_BRIEFING_HOUR UTC): the
 * 24 hours before the run, made from what the organisation may read and stored as its briefing. A run
 * missed while the server was down is made at the next start; a run already made is not made again
 * (the stored briefing's period says so, also across instances sharing a store).
 */
export class DailyBriefings {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly d: {
      briefings: BriefingService;
      organisations: () => Promise<Array<{ code: string; kind: OrgKind }>>;
      orgs: string[] | 'all';
      hour: number;
      clock: Clock;
      log: Logger;
    },
  ) {}

  get enabled(): boolean {
    return this.d.orgs === 'all' || this.d.orgs.length > 0;
  }

  async start(): Promise<void> {
    if (!this.enabled) return;
    await this.runDue();
    this.arm();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Makes the latest run's briefings that do not exist yet; returns how many were made. */
  async runDue(): Promise<number> {
    const to = lastRun(this.d.clock.now(), this.d.hour);
    const from = new Date(to.getTime() - DAY_MS);
    const all = await this.d.organisations();
    const chosen = this.d.orgs === 'all' ? all : all.filter((o) => (this.d.orgs as string[]).includes(o.code));
    let made = 0;
    for (const o of chosen) {
      if (await this.d.briefings.hasScheduled(o.code, to.toISOString())) continue;
      await this.d.briefings.create(
        { org: o.code, orgKind: o.kind, by: DAILY_BRIEFING },
        {
          title: `Daily briefing for ${o.code}, ${to.toISOString().slice(0, 10)}`,
          from: from.toISOString(),
          to: to.toISOString(),
          format: 'markdown',
          scheduled: true,
        },
      );
      made++;
    }
    return made;
  }

  private arm(): void {
    const now = this.d.clock.now().getTime();
    const next = lastRun(new Date(now), this.d.hour).getTime() + DAY_MS;
    this.timer = setTimeout(
      () => {
        this.running = this.runDue()
          .then((n) => this.d.log.info({ briefings: n }, 'daily briefings made'))
          .catch((err: unknown) => this.d.log.error({ err }, 'daily briefings failed; retried at the next run'))
          .finally(() => this.arm());
      },
      Math.min(next - now + 1_000, 2 ** 31 - 1),
    );
    this.timer.unref();
  }
}
