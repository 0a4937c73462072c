import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { DEFAULT_CORRELATION, NO_AUTHOR, type CorrelationSettings } from './correlation.ts';
import { CorrelationService } from './correlation.service.ts';
import { systemActor } from '../sharing/actor.ts';
import { extensionObjects } from './incident.ts';
import { IncidentService } from './incident.service.ts';
import { IntelRepository } from './intel.repository.ts';
import { PictureService } from './picture.service.ts';
import { CampaignRepository } from './campaign.repository.ts';
import { CampaignService } from './campaign.service.ts';

export interface Intel {
  incidents: IncidentService;
  correlation: CorrelationService;
  picture: PictureService;
  campaigns: CampaignService;
  repo: IntelRepository;
  /** Publishes the incident extension definition (once) and correlates incidents left pending. */
  start(): Promise<void>;
}

export function correlationSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CorrelationSettings {
  const n = Number(env.BULWARK_COMMON_VALUE_THRESHOLD ?? DEFAULT_CORRELATION.commonThreshold);
  return { ...DEFAULT_CORRELATION, commonThreshold: Number.isInteger(n) && n > 0 ? n : DEFAULT_CORRELATION.commonThreshold };
}

export function createIntel(deps: { database: Database; knowledge: KnowledgeService; clock: Clock; log: Logger; notifier: EventNotifier; settings?: Partial<CorrelationSettings> }): Intel {
  const settings = { ...correlationSettingsFromEnv(), ...deps.settings };
  const repo = new IntelRepository(deps.database.db);
  const correlation = new CorrelationService(repo, deps.clock, deps.notifier, deps.log, settings);
  const incidents = new IncidentService({ repo, knowledge: deps.knowledge, clock: deps.clock, log: deps.log, notifier: deps.notifier, correlation });
  const picture = new PictureService(repo, deps.knowledge, settings);
  const campaigns = new CampaignService({ campaigns: new CampaignRepository(deps.database.db), intel: repo, knowledge: deps.knowledge, clock: deps.clock, notifier: deps.notifier });
  return {
    incidents, correlation, picture, campaigns, repo,
    async start() {
      const items = extensionObjects().map((value, index) => ({ index, value }));
      const report = await deps.knowledge.ingest(systemActor('intel'), items, { defaultTlp: 'clear', asOrg: NO_AUTHOR });
      if (report.rejected.length > 0) deps.log.warn({ rejected: report.rejected }, 'incident extension definition not stored');
      const n = await correlation.catchUp();
      if (n > 0) deps.log.info({ incidents: n }, 'correlated incidents left pending');
    },
  };
}
