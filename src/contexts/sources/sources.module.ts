import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { DocumentService } from './document.service.ts';
import { EntityService } from './entity.service.ts';
import { loadGazetteer } from './gazetteer.loader.ts';
import { SourceService } from './source.service.ts';
import type { Gazetteer } from './gazetteer.ts';
import { FeedPoller } from './feed.poller.ts';
import { LinksService } from './links.service.ts';
import type { Logger } from '../../platform/log.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { heldIn, ownTypes } from '../knowledge/owned-types.service.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import { sourcesExtensionObjects } from './report.ts';
import { UrlDocumentService } from './url-document.service.ts';
import { SignpostLinkService, type SignpostOutlook } from './signpost-link.service.ts';

export interface Sources {
  sources: SourceService;
  documents: DocumentService;
  /** Documents fetched by the server from their address. */
  fromUrl: UrlDocumentService;
  entities: EntityService;
  /** Claims linked to outlook signposts (each proposes an observation to the set's author). */
  signposts: SignpostLinkService;
  /** Documents and incidents linked by echoed narratives and affected states. */
  links: LinksService;
  /** Polls feeds on their durable schedule; `start()` in a serving process, `stop()` before closing the store. */
  poller: FeedPoller;
  /** Publishes the document extension definition (once). */
  start(): Promise<void>;
}

/** Builds the open-sources context; the gazetteer loads on first use unless given. */
export function createSources(deps: {
  database: Database;
  clock: Clock;
  notifier: EventNotifier;
  log: Logger;
  knowledge: KnowledgeService;
  /** BULWARK_FETCH_ALLOW_PRIVATE: feeds on loopback, private or link-local addresses may be fetched. */
  fetchAllowPrivate: boolean;
  gazetteer?: () => Gazetteer;
  /** The outlook context, for claims linked to signposts (absent: linking answers 503). */
  outlook?: SignpostOutlook;
}): Sources {
  const documents = new DocumentService({
    db: deps.database.db,
    clock: deps.clock,
    notifier: deps.notifier,
    gazetteer: deps.gazetteer ?? loadGazetteer,
    knowledge: deps.knowledge,
  });
  // A document's report changes only through /api/v1/documents; other reports (from TAXII clients) are free.
  ownTypes(deps.knowledge, { types: ['report'], api: '/api/v1/documents', held: heldIn(['sources_documents']) });
  const poller = new FeedPoller(documents.db, documents, deps.clock, deps.log, {
    allowPrivate: deps.fetchAllowPrivate,
  });
  return {
    sources: new SourceService(deps.database.db, deps.clock, () => poller.wake(0)),
    documents,
    fromUrl: new UrlDocumentService(documents, deps.fetchAllowPrivate),
    signposts: new SignpostLinkService(documents.db, documents, deps.outlook, deps.clock),
    entities: new EntityService(documents.db, documents, deps.clock),
    links: new LinksService(documents.db, deps.gazetteer ?? loadGazetteer),
    poller,
    async start() {
      const items = sourcesExtensionObjects().map((value, index) => ({ index, value }));
      const report = await deps.knowledge.ingest(systemActor('sources'), items, {
        defaultTlp: 'clear',
        asOrg: NO_AUTHOR,
      });
      if (report.rejected.length > 0)
        deps.log.warn({ rejected: report.rejected }, 'sources extension definition not stored');
    },
  };
}
