import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { DEFAULT_CORRELATION, NO_AUTHOR, type CorrelationSettings } from './correlation.ts';
import { CorrelationService } from './correlation.service.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { extensionObjects } from './incident.ts';
import { IncidentService } from './incident.service.ts';
import { registerIntelViews } from './derived-views.service.ts';
import { IntelRepository } from './intel.repository.ts';
import { PictureService } from './picture.service.ts';
import { CampaignRepository } from './campaign.repository.ts';
import { CampaignService } from './campaign.service.ts';
import { ResponseRepository } from './response.repository.ts';
import { ResponseService } from './response.service.ts';
import { notFound } from '../../platform/errors.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';

export interface Intel {
  incidents: IncidentService;
  correlation: CorrelationService;
  picture: PictureService;
  campaigns: CampaignService;
  responses: ResponseService;
  repo: IntelRepository;
  /** Publishes the incident extension definition (once) and correlates incidents left pending. */
  start(): Promise<void>;
}

export function createIntel(deps: {
  database: Database;
  knowledge: KnowledgeService;
  clock: Clock;
  log: Logger;
  notifier: EventNotifier;
  settings?: Partial<CorrelationSettings>;
}): Intel {
  const settings = { ...DEFAULT_CORRELATION, ...deps.settings };
  const repo = new IntelRepository(deps.database.db, deps.database.readPool);
  const correlation = new CorrelationService(repo, deps.clock, deps.notifier, deps.log, settings);
  // Every write path (REST, TAXII, import, deletion) updates intel's views in one place, inside its transaction.
  registerIntelViews({
    db: deps.database.db,
    knowledge: deps.knowledge,
    clock: deps.clock,
    correlate: async (ids) => {
      deps.notifier.nudge();
      for (const id of ids)
        await correlation
          .correlate(id)
          .catch((e: unknown) =>
            deps.log.error({ err: e, incident: id }, 'correlation failed; it is retried at the next start'),
          );
    },
  });
  const incidents = new IncidentService({
    repo,
    knowledge: deps.knowledge,
    clock: deps.clock,
    log: deps.log,
    notifier: deps.notifier,
    correlation,
  });
  const picture = new PictureService(repo, deps.knowledge, settings);
  const campaigns = new CampaignService({
    campaigns: new CampaignRepository(deps.database.db),
    intel: repo,
    knowledge: deps.knowledge,
    clock: deps.clock,
    notifier: deps.notifier,
  });
  const targetReleasability = async (
    actor: Actor,
    id: string,
  ): Promise<{ author: string; tlp: Tlp; audience: string[] }> => {
    if (id.startsWith('incident--'))
      return incidents.get(actor, id).then((i) => ({ author: i.author, tlp: i.tlp, audience: i.audience }));
    if (id.startsWith('campaign--'))
      return campaigns.get(actor, id).then((c) => ({ author: c.author, tlp: c.tlp as Tlp, audience: c.audience }));
    throw notFound(`incident or campaign ${id}`);
  };
  const responses = new ResponseService({
    repo: new ResponseRepository(deps.database.db),
    knowledge: deps.knowledge,
    clock: deps.clock,
    notifier: deps.notifier,
    targetReleasability,
  });
  return {
    incidents,
    correlation,
    picture,
    campaigns,
    responses,
    repo,
    async start() {
      const items = extensionObjects().map((value, index) => ({ index, value }));
      const report = await deps.knowledge.ingest(systemActor('intel'), items, {
        defaultTlp: 'clear',
        asOrg: NO_AUTHOR,
      });
      if (report.rejected.length > 0)
        deps.log.warn({ rejected: report.rejected }, 'incident extension definition not stored');
      const n = await correlation.catchUp();
      if (n > 0) deps.log.info({ incidents: n }, 'correlated incidents left pending');
    },
  };
}
