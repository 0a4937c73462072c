import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import type { AuditAnchor } from '../audit/audit.anchor.ts';
import { ProposalRepository } from './proposal.repository.ts';
import { CouncilService, type ReadableIds } from './proposal.service.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { toReleasable } from '../knowledge/knowledge.service.ts';
import { canRead } from '../../kernel/access/releasability.ts';
import { SilenceScheduler, type SchedulerOptions } from './silence.scheduler.ts';

export interface Council {
  council: CouncilService;
  audit: AuditRepository;
  scheduler: SilenceScheduler;
}

/**
 * Builds the council context (minimum silence period one hour unless told); call `audit.start()` before
 * anything is appended (it loads or creates the signed checkpoint), then `scheduler.start()` to settle overdue deadlines and arm the timer. */
export function createCouncil(deps: {
  database: Database;
  clock: Clock;
  log: Logger;
  notifier: EventNotifier;
  scheduler?: SchedulerOptions;
  minSilenceSeconds?: number;
  readableObjects?: ReadableIds;
  anchor: AuditAnchor;
}): Council {
  const audit = new AuditRepository(deps.database.db, deps.database.dialect, deps.anchor, deps.log);
  const council = new CouncilService({
    repo: new ProposalRepository(deps.database.db),
    audit,
    clock: deps.clock,
    notifier: deps.notifier,
    minSilenceSeconds: deps.minSilenceSeconds ?? 3600,
    readableObjects: deps.readableObjects ?? (async () => new Set<string>()),
    onCirculated: (at) => scheduler.wake(at),
  });
  const scheduler = new SilenceScheduler(council, deps.clock, deps.log, deps.scheduler);
  return { council, audit, scheduler };
}

/** References to objects of the STIX store: readable when the latest version's release lets the reader read it. */
export function readableObjectsOf(knowledge: KnowledgeService): ReadableIds {
  return async (reader, ids) => {
    const rows = await knowledge.list({ reader, scope: { kind: 'all' }, ids, versions: ['last'] });
    return new Set(rows.filter((r) => canRead(reader, toReleasable(r))).map((r) => r.id));
  };
}
