import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { heldIn, ownTypes } from '../knowledge/owned-types.service.ts';
import { SupportRepository } from './support.repository.ts';
import { SupportService } from './support.service.ts';
import { DiplomacyRepository } from './diplomacy.repository.ts';
import { DiplomacyService } from './diplomacy.service.ts';
import { HumanitarianRepository } from './humanitarian.repository.ts';
import { HumanitarianService } from './humanitarian.service.ts';
import { EVENT_TYPE, NEED_TYPE, SUPPORT_TYPE, registerExtensionObjects } from './registers.stix.ts';

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
  // Register entries change only through their API: the register tables would not follow a TAXII or import version.
  ownTypes(deps.knowledge, {
    types: [SUPPORT_TYPE, EVENT_TYPE, NEED_TYPE],
    api: 'the register API (/api/v1/support, /diplomacy, /humanitarian)',
    held: heldIn(['support_entries', 'diplomatic_events', 'humanitarian_needs']),
  });
  const common = { knowledge: deps.knowledge, clock: deps.clock, notifier: deps.notifier };
  const support = new SupportService({ repo: new SupportRepository(deps.database.db), ...common });
  const diplomacy = new DiplomacyService({ repo: new DiplomacyRepository(deps.database.db), ...common });
  const humanitarian = new HumanitarianService({
    repo: new HumanitarianRepository(deps.database.db),
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
