import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { DocumentService } from './document.service.ts';
import { EntityService } from './entity.service.ts';
import { loadGazetteer } from './gazetteer.loader.ts';
import { SourceService } from './source.service.ts';
import type { Gazetteer } from './gazetteer.ts';

export interface Sources {
  sources: SourceService;
  documents: DocumentService;
  entities: EntityService;
}

/** Builds the open-sources context; the gazetteer loads on first use unless given. */
export function createSources(deps: {
  database: Database;
  clock: Clock;
  notifier: EventNotifier;
  gazetteer?: () => Gazetteer;
}): Sources {
  const documents = new DocumentService({
    db: deps.database.db,
    clock: deps.clock,
    notifier: deps.notifier,
    gazetteer: deps.gazetteer ?? loadGazetteer,
  });
  return {
    sources: new SourceService(deps.database.db, deps.clock),
    documents,
    entities: new EntityService(documents.db, documents, deps.clock),
  };
}
