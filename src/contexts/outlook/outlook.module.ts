import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { toReleasable } from '../knowledge/knowledge.service.ts';
import { heldIn, ownTypes } from '../knowledge/owned-types.service.ts';
import { canRead } from '../../kernel/access/releasability.ts';
import type { ReadableIds } from './outlook.writer.ts';
import { OutlookRepository } from './outlook.repository.ts';
import { OutlookWriter } from './outlook.writer.ts';
import { ScenarioService } from './scenario.service.ts';
import { QuestionService } from './question.service.ts';
import { AchService } from './ach.service.ts';
import { ProposedObservationService } from './proposed-observation.service.ts';
import { OUTLOOK_STIX_TYPES, outlookExtensionObjects } from './outlook-stix.ts';

export interface Outlook {
  scenarios: ScenarioService;
  questions: QuestionService;
  ach: AchService;
  proposals: ProposedObservationService;
  /** Publishes the outlook extension definition (TLP:CLEAR, no author) once. */
  start(): Promise<void>;
}

export function createOutlook(deps: {
  database: Database;
  knowledge: KnowledgeService;
  clock: Clock;
  log: Logger;
  notifier: EventNotifier;
}): Outlook {
  const w = new OutlookWriter({
    repo: new OutlookRepository(deps.database.db),
    knowledge: deps.knowledge,
    clock: deps.clock,
    notifier: deps.notifier,
    readableObjects: readableObjectsOf(deps.knowledge),
  });
  // Outlook's objects change only through its API: its tables would not follow a version from TAXII or import.
  ownTypes(deps.knowledge, {
    types: OUTLOOK_STIX_TYPES,
    api: '/api/v1/outlook',
    held: heldIn(['outlook_sets', 'outlook_signposts', 'outlook_observations', 'outlook_questions', 'outlook_ach']),
  });
  const scenarios = new ScenarioService(w);
  return {
    scenarios,
    questions: new QuestionService(w, scenarios),
    ach: new AchService(w),
    proposals: new ProposedObservationService(w, scenarios),
    async start() {
      const items = outlookExtensionObjects().map((value, index) => ({ index, value }));
      const report = await deps.knowledge.ingest(systemActor('outlook'), items, {
        defaultTlp: 'clear',
        asOrg: NO_AUTHOR,
      });
      if (report.rejected.length > 0)
        deps.log.warn({ rejected: report.rejected }, 'outlook extension definition not stored');
    },
  };
}

/** Objects of the STIX store the reader may read under their latest version's release. */
function readableObjectsOf(knowledge: KnowledgeService): ReadableIds {
  return async (reader, ids) => {
    const rows = await knowledge.list({ reader, scope: { kind: 'all' }, ids, versions: ['last'] });
    return new Set(rows.filter((r) => canRead(reader, toReleasable(r))).map((r) => r.id));
  };
}
