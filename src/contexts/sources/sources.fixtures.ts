import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import { KnowledgeRepository } from '../knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { createSources, type Sources } from './sources.module.ts';
import type { SignpostOutlook } from './signpost-link.service.ts';

/** The sources context over a test store, with its own STIX store; `nudges` counts outbox nudges. */
export function testSources(
  database: Database,
  clock: Clock,
  opts: { fetchAllowPrivate?: boolean; onNudge?: () => void; outlook?: SignpostOutlook } = {},
): Sources & { knowledge: KnowledgeService } {
  const knowledge = new KnowledgeService(new KnowledgeRepository(database), clock);
  const s = createSources({
    database,
    clock,
    log: silentLogger,
    knowledge,
    fetchAllowPrivate: opts.fetchAllowPrivate ?? false,
    notifier: { nudge: () => opts.onNudge?.() },
    ...(opts.outlook ? { outlook: opts.outlook } : {}),
  });
  return { ...s, knowledge };
}
