import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { SupportRepository } from './support.repository.ts';
import { SupportService } from './support.service.ts';
import { DiplomacyRepository } from './diplomacy.repository.ts';
import { DiplomacyService } from './diplomacy.service.ts';
import { HumanitarianRepository } from './humanitarian.repository.ts';
import { HumanitarianService } from './humanitarian.service.ts';
import { registerExtensionObjects } from './registers.stix.ts';
import { RegisterAdoption, registerAdoption } from './registers.adopt.service.ts';

export interface Registers {
  support: SupportService;
  diplomacy: DiplomacyService;
  humanitarian: HumanitarianService;
  /** Publishes the register extension-definitions and the seeded diplomatic record over TAXII (idempotent). */
  start(): Promise<void>;
}

/** Builds the registers context: support to partners, the diplomatic track, humanitarian needs. */
export function createRegisters(deps: {
  database: Database;
  knowledge: KnowledgeService;
  clock: Clock;
  log: Logger;
  notifier: EventNotifier;
}): Registers {
  const common = { knowledge: deps.knowledge, clock: deps.clock, notifier: deps.notifier };
  const repos = {
    support: new SupportRepository(deps.database.db),
    diplomacy: new DiplomacyRepository(deps.database.db),
    humanitarian: new HumanitarianRepository(deps.database.db),
  };
  // Register objects written as STIX by any other path (TAXII, import, federation) enter the register too.
  registerAdoption(deps.knowledge, new RegisterAdoption({ ...repos, clock: deps.clock }));
  const support = new SupportService({ repo: repos.support, ...common });
  const diplomacy = new DiplomacyService({ repo: repos.diplomacy, ...common });
  const humanitarian = new HumanitarianService({
    repo: repos.humanitarian,
    ...common,
    support: (reader) => support.humanitarianTotals(reader),
  });
  return {
    support,
    diplomacy,
    humanitarian,
    async start() {
      const items = registerExtensionObjects().map((value, index) => ({ index, value }));
      const report = await deps.knowledge.ingest(systemActor('registers'), items, {
        defaultTlp: 'clear',
        asOrg: NO_AUTHOR,
      });
      if (report.rejected.length > 0)
        deps.log.warn({ rejected: report.rejected }, 'register extension definitions not stored');
      await diplomacy.publishRecord();
    },
  };
}
