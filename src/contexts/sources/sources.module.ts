import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { DocumentService } from './document.service.ts';
import { EntityService } from './entity.service.ts';
import { loadGazetteer } from './gazetteer.loader.ts';
import { SourceService } from './source.service.ts';
import type { Gazetteer } from './gazetteer.ts';
import { FeedPoller } from './feed.poller.ts';
import type { Logger } from '../../platform/log.ts';

export interface Sources {
  sources: SourceService;
  documents: DocumentService;
  entities: EntityService;
  /** Polls feeds on their durable schedule; `start()` in a serving process, `stop()` before closing the store. */
  poller: FeedPoller;
}

/** Builds the open-sources context; the gazetteer loads on first use unless given. */
export function createSources(deps: {
  database: Database;
  clock: Clock;
  notifier: EventNotifier;
  log: Logger;
  /** BULWARK_FETCH_ALLOW_PRIVATE: feeds on loopback, private or link-local addresses may be fetched. */
  fetchAllowPrivate: boolean;
  gazetteer?: () => Gazetteer;
}): Sources {
  const documents = new DocumentService({
    db: deps.database.db,
    clock: deps.clock,
    notifier: deps.notifier,
    gazetteer: deps.gazetteer ?? loadGazetteer,
  });
  const poller = new FeedPoller(documents.db, documents, deps.clock, deps.log, {
    allowPrivate: deps.fetchAllowPrivate,
  });
  return {
    sources: new SourceService(deps.database.db, deps.clock, () => poller.wake(0)),
    documents,
    entities: new EntityService(documents.db, documents, deps.clock),
    poller,
  };
}
