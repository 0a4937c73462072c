import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { heldIn, ownTypes } from '../knowledge/owned-types.service.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import type { ReadableIds } from './outlook.writer.ts';
import { OutlookRepository } from './outlook.repository.ts';
import { OutlookWriter } from './outlook.writer.ts';
import { ScenarioService } from './scenario.service.ts';
import { QuestionService } from './question.service.ts';
import { AchService } from './ach.service.ts';
import { ProposedObservationService } from './proposed-observation.service.ts';
import { OUTLOOK_STIX_TYPES, outlookExtensionObjects } from './outlook-stix.ts';
import { BRIEFING_SETS, briefingOutlook, type BriefingOutlook } from './briefing-section.ts';

export interface Outlook {
  scenarios: ScenarioService;
  questions: QuestionService;
  ach: AchService;
  proposals: ProposedObservationService;
  /** The outlook's part of a briefing (the briefings context's OutlookPort), for what the reader may read. */
  briefing: { section(reader: Reader, from: string, to: string): Promise<BriefingOutlook> };
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
    briefing: {
      async section(reader, from, to) {
        const rows = await w.d.repo.page(reader, 'outlook_sets', BRIEFING_SETS);
        const states = await w.d.repo.loadStates(
          w.db,
          rows.map((r) => r.id),
        );
        return briefingOutlook(states, from, to);
      },
    },
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

/**
 * Objects of the STIX store the reader may read under their latest version's release. The store filters
 * by the releasability rule in SQL; only ids come back (not each object's JSON, which the scenario page
 * never shows: reading it was most of this check's cost).
 */
function readableObjectsOf(knowledge: KnowledgeService): ReadableIds {
  return async (reader, ids) => {
    const rows = await knowledge.listVersions({ reader, scope: { kind: 'all' }, ids, versions: ['last'] });
    return new Set(rows.map((r) => r.id));
  };
}
