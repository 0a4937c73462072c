import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import type { BriefingSettings } from '../../platform/config.ts';
import type { Registers } from '../registers/registers.module.ts';
import { BriefingRepository } from './briefing.repository.ts';
import { BriefingSourcesRepository } from './briefing.sources.repository.ts';
import { BriefingService } from './briefing.service.ts';
import { PdfPrinter } from './briefing.pdf.ts';
import { DailyBriefings } from './briefing.scheduler.ts';
import type { AssessPort, OutlookPort } from './briefing.gather.service.ts';

export interface Briefings {
  briefings: BriefingService;
  daily: DailyBriefings;
  /** Prints HTML to PDF (kept for reuse; benchmarks print through it). */
  printer: PdfPrinter;
  /** Stops the daily schedule and the PDF printer's browser. */
  close(): Promise<void>;
}

/** Builds the briefings context; `outlook` is the outlook context's port when it exists. */
export function createBriefings(deps: {
  database: Database;
  clock: Clock;
  log: Logger;
  notifier: EventNotifier;
  registers: Registers;
  assess: AssessPort;
  settings: BriefingSettings;
  outlook?: OutlookPort;
}): Briefings {
  const printer = new PdfPrinter(deps.settings.chromium, {
    idleMs: deps.settings.pdfIdleSeconds * 1000,
    onWarmError: (err) => deps.log.warn({ err }, 'the PDF printer could not start Chromium ahead of a print'),
  });
  const sources = new BriefingSourcesRepository(deps.database.db);
  const briefings = new BriefingService({
    repo: new BriefingRepository(deps.database.db),
    printer,
    warmOnRequest: deps.settings.pdfWarm !== 'off',
    clock: deps.clock,
    notifier: deps.notifier,
    sources,
    support: deps.registers.support,
    diplomacy: deps.registers.diplomacy,
    humanitarian: deps.registers.humanitarian,
    assess: deps.assess,
    outlook: deps.outlook,
  });
  const daily = new DailyBriefings({
    briefings,
    organisations: () =>
      deps.database.db.selectFrom('organisations').select(['code', 'kind']).orderBy('code').execute(),
    orgs: deps.settings.daily,
    hour: deps.settings.dailyHour,
    clock: deps.clock,
    log: deps.log,
  });
  return {
    briefings,
    daily,
    printer,
    close: async () => {
      await daily.stop();
      await printer.close();
    },
  };
}
