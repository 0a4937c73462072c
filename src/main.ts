import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { join } from 'node:path';
import type { Config } from './platform/config.ts';
import { IMPORT_SQLITE, openDatabase, type Database, type OpenOptions } from './platform/db/database.ts';
import { inThreadPreparer, PreparePool } from './contexts/knowledge/prepare-pool.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { buildApp, type App, type RouteModule } from './platform/http/app.ts';
import { createMetrics } from './platform/http/metrics.ts';
import { OrganisationRepository } from './contexts/sharing/organisation.repository.ts';
import { UserRepository } from './contexts/sharing/user.repository.ts';
import { UserService } from './contexts/sharing/user.service.ts';
import { sharingRoutes } from './contexts/sharing/sharing.routes.ts';
import { SessionRepository } from './contexts/sharing/session.repository.ts';
import { SessionService } from './contexts/sharing/session.service.ts';
import { sessionRoutes } from './contexts/sharing/session.routes.ts';
import { SearchRepository } from './contexts/search/search.repository.ts';
import { SearchService } from './contexts/search/search.service.ts';
import { searchRoutes } from './contexts/search/search.routes.ts';
import { createCouncil, readableObjectsOf } from './contexts/council/council.module.ts';
import { loadAuditAnchor, type AuditAnchor } from './contexts/audit/audit.anchor.ts';
import type { CouncilService } from './contexts/council/proposal.service.ts';
import { councilRoutes } from './contexts/council/council.routes.ts';
import type { AuditRepository } from './contexts/audit/audit.repository.ts';
import { createEventSystem, type EventOptions, type EventSystem } from './platform/events/event-system.ts';
import { streamRoutes } from './platform/http/stream.routes.ts';
import { KnowledgeRepository } from './contexts/knowledge/knowledge.repository.ts';
import { KnowledgeService } from './contexts/knowledge/knowledge.service.ts';
import { TaxiiService } from './contexts/taxii/taxii.service.ts';
import { StatusRepository } from './contexts/taxii/status.repository.ts';
import { taxiiRoutes } from './contexts/taxii/taxii.routes.ts';
import { TreatyService } from './contexts/treaty/treaty.service.ts';
import { treatyRoutes } from './contexts/treaty/treaty.routes.ts';
import { loadTreatyGeography } from './contexts/treaty/geography.loader.ts';
import { createIntel, type Intel } from './contexts/intel/intel.module.ts';
import { intelRoutes } from './contexts/intel/intel.routes.ts';
import { prepareDemo } from './demo/demo.tokens.ts';
import { loadSecretKey } from './platform/secrets.ts';
import { createFederation, type Federation } from './contexts/federation/federation.module.ts';
import { peerRoutes } from './contexts/federation/peer.routes.ts';
import { feedRoutes } from './contexts/federation/feed.routes.ts';
import { registerPeerMetrics } from './contexts/federation/federation.metrics.ts';
import { feedCollection } from './contexts/federation/feed.ts';
// Open sources (issue 16)
import { createSources, type Sources } from './contexts/sources/sources.module.ts';
import { sourcesRoutes } from './contexts/sources/sources.routes.ts';
import { createOutlook, type Outlook } from './contexts/outlook/outlook.module.ts';
import { outlookRoutes } from './contexts/outlook/outlook.routes.ts';
import { createRegisters, type Registers } from './contexts/registers/registers.module.ts';
import { registersRoutes } from './contexts/registers/registers.routes.ts';
import { createBriefings, type Briefings } from './contexts/briefings/briefing.module.ts';
import { briefingRoutes } from './contexts/briefings/briefing.routes.ts';

export const projectRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Everything the transports (HTTP, CLI) call: built once from config. */
export interface Services {
  config: Config;
  database: Database;
  log: Logger;
  clock: Clock;
  orgs: OrganisationRepository;
  users: UserService;
  /** Console sessions: an httpOnly cookie exchanged for a token, shared by every tab of the console. */
  sessions: SessionService;
  /** Live events: `notifier.nudge()` after committing outbox rows; `subscribe` for in-process consumers. */
  events: EventSystem;
  /** Council proposals (consensus decisions); its silence deadlines are settled by a durable scheduler. */
  council: CouncilService;
  /** The hash-chained audit log. */
  audit: AuditRepository;
  /** The versioned STIX 2.1 object store every context writes through. */
  knowledge: KnowledgeService;
  /** TAXII 2.1 transport over the knowledge store. */
  taxii: TaxiiService;
  /** Treaty engine: Article 4/5 assessments, Article 6 geography, deployment preconditions. */
  treaty: TreatyService;
  /** Hybrid-threat incidents, correlation, campaigns and the threat picture. */
  intel: Intel;
  /** Federation: the peer nodes this node pulls from over TAXII 2.1, and the feed it serves them. */
  federation: Federation;
  /** Open sources: sources, documents, resolved entities and claims. */
  sources: Sources;
  /** Outlook: scenario sets, signposts, posture, forecast questions, ACH. */
  outlook: Outlook;
  /** Registers: support to partners, the diplomatic track, humanitarian needs. */
  registers: Registers;
  /** Generated briefings (Markdown, HTML, PDF) and the daily schedule. */
  briefings: Briefings;
  /** Stops background work and closes the store; in-flight writes finish first. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  log?: Logger;
  clock?: Clock;
  database?: Database;
  events?: Partial<EventOptions>;
  /**
   * What the process is for. `serve` (the default) starts background work: the event relay, council
   * deadlines, pending correlations and SQLite checkpoints on their own thread. `one-shot` (user add,
   * export, audit) starts none, so that e.g. `user add` does not settle proposals or relay events.
   * `import` is one-shot with the bulk writer's store settings and a preparing thread for bundle files.
   */
  profile?: 'serve' | 'one-shot' | 'import';
  /** The audit chain's keyring and checkpoint folder (default: from config, the data folder). */
  auditAnchor?: AuditAnchor;
}

/** How each profile opens an embedded SQLite store (a PostgreSQL URL ignores these). */
function sqliteOptions(config: Config, profile: NonNullable<ServiceOptions['profile']>): OpenOptions {
  if (profile === 'import') return { dataDir: config.dataDir, ...IMPORT_SQLITE };
  return {
    dataDir: config.dataDir,
    readThreads: config.readThreads,
    walLimitBytes: config.walLimitBytes,
    ...(profile === 'serve' ? { checkpoints: 'background' as const } : {}),
  };
}

export async function createServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const profile = opts.profile ?? 'serve';
  const background = profile === 'serve';
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  // TAXII envelopes (serve) and bundle files (import) are parsed and validated on a preparing thread,
  // never on the thread serving HTTP; an import's boots while the store opens.
  const preparer = profile === 'one-shot' ? undefined : new PreparePool();
  if (profile === 'import') preparer?.start();
  // Whatever has started is stopped again, in reverse order, by close() or by a failure half-way through start-up.
  const closers: Array<() => Promise<void>> = [];
  if (preparer) closers.push(() => preparer.close());
  const stop = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const database =
      opts.database ??
      (await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : sqliteOptions(config, profile)));
    closers.push(() => database.close());
    const orgs = new OrganisationRepository(database.db);
    await orgs.seed();
    const users = new UserService(new UserRepository(database.db), orgs, clock);
    const sessions = new SessionService(
      new SessionRepository(database.db),
      new UserRepository(database.db),
      users,
      clock,
    );
    const knowledge = new KnowledgeService(new KnowledgeRepository(database), clock, preparer ?? inThreadPreparer);
    const taxii = new TaxiiService(knowledge, new StatusRepository(database.db), clock);
    const events = createEventSystem({
      database,
      log,
      clock,
      natsUrl: config.natsUrl,
      options: { ...config.events, ...opts.events },
    });
    if (background) {
      await events.start();
      closers.push(() => events.stop());
    }
    const { council, audit, scheduler } = createCouncil({
      database,
      clock,
      log,
      notifier: events.notifier,
      minSilenceSeconds: config.minSilenceSeconds,
      readableObjects: readableObjectsOf(knowledge),
      anchor: opts.auditAnchor ?? loadAuditAnchor(config, log, true),
    });
    await audit.start();
    const intel = createIntel({
      database,
      knowledge,
      clock,
      log,
      notifier: events.notifier,
      settings: { commonThreshold: config.commonValueThreshold },
    });
    if (background) await intel.start();
    const outlook = createOutlook({ database, knowledge, clock, log, notifier: events.notifier });
    if (background) await outlook.start();
    if (background) await taxii.start();
    const registers = createRegisters({ database, knowledge, clock, log, notifier: events.notifier });
    if (background) await registers.start();
    const treaty = new TreatyService({
      geography: loadTreatyGeography,
      mandates: (id, actor) => council.getForDeploymentCheck(actor, id),
    });
    const sources = createSources({
      database,
      clock,
      log,
      notifier: events.notifier,
      knowledge,
      fetchAllowPrivate: config.fetchAllowPrivate,
      outlook,
    });
    if (background) {
      await sources.start();
      sources.poller.start();
      closers.push(() => sources.poller.stop());
    }
    if (background) {
      await scheduler.start();
      closers.push(() => scheduler.stop());
    }
    const federation = createFederation({
      database,
      knowledge,
      notifier: events.notifier,
      clock,
      log,
      secretKey: loadSecretKey(config, log),
      options: config.federation,
    });
    if (background) {
      await federation.start();
      closers.push(() => federation.stop());
    }
    // The briefings' outlook section: scenario probabilities and postures the reader may read.
    const briefings = createBriefings({
      outlook: outlook.briefing,
      database,
      clock,
      log,
      notifier: events.notifier,
      registers,
      assess: (req) => treaty.assess(req),
      settings: config.briefings,
    });
    closers.push(() => briefings.close());
    if (background) await briefings.daily.start();
    if (background && config.briefings.pdfWarm === 'start') briefings.printer.warm();
    return {
      config,
      database,
      log,
      clock,
      orgs,
      users,
      sessions,
      events,
      council,
      audit,
      knowledge,
      taxii,
      treaty,
      intel,
      federation,
      sources,
      outlook,
      registers,
      briefings,
      close: stop,
    };
  } catch (e) {
    await stop().catch((err: unknown) => log.error({ err }, 'stopping after a failed start-up failed'));
    throw e;
  }
}

export async function createApp(s: Services): Promise<App> {
  const { registry, http } = createMetrics();
  registerPeerMetrics(registry, s.federation.peers);
  const modules: RouteModule[] = [
    {
      prefix: '/taxii2',
      plugin: taxiiRoutes(
        s.taxii,
        (t) => s.users.authenticate(t),
        s.config.maxBodyBytes,
        {
          publicUrl: s.config.publicUrl,
          host: s.config.host,
          port: s.config.port,
        },
        (actor) => (actor ? [feedCollection()] : []),
      ),
      ownAuth: true,
    },
    { prefix: '/api/v1', plugin: sharingRoutes(s.orgs, s.users) },
    { prefix: '/api/v1', plugin: sessionRoutes(s.sessions) },
    {
      prefix: '/api/v1',
      plugin: searchRoutes(
        new SearchService(new SearchRepository(s.database.db, s.database.dialect), (a, id) => s.knowledge.find(a, id)),
      ),
    },
    {
      prefix: '/api/v1',
      plugin: streamRoutes(
        s.events,
        registry,
        {
          verify: (t) => s.users.authenticate(t, { fresh: true }),
          verifySession: async (id) => (await s.sessions.resolve(id, { fresh: true }))?.actor,
          onRevoked: (fn) => s.users.onRevoked(fn),
        },
        { perUser: s.config.maxStreamsPerUser, total: s.config.maxStreams },
      ),
    },
    { prefix: '/api/v1', plugin: councilRoutes(s.council) },
    { prefix: '/api/v1', plugin: treatyRoutes(s.treaty) },
    {
      prefix: '/api/v1',
      plugin: intelRoutes(s.intel.incidents, s.intel.picture, s.intel.campaigns, s.intel.responses),
    },
    { prefix: '/api/v1', plugin: peerRoutes(s.federation.peers) },
    {
      prefix: '/taxii2/alliance/collections',
      plugin: feedRoutes(s.federation.feed, (t) => s.users.authenticate(t)),
      ownAuth: true,
    },
    { prefix: '/api/v1', plugin: sourcesRoutes(s.sources) },
    { prefix: '/api/v1', plugin: outlookRoutes(s.outlook) },
    { prefix: '/api/v1', plugin: registersRoutes(s.registers) },
    { prefix: '/api/v1', plugin: briefingRoutes(s.briefings.briefings) },
  ];
  return buildApp({
    log: s.log,
    authenticate: (t) => s.users.authenticate(t),
    sessions: { resolve: (id) => s.sessions.resolve(id) },
    ready: async () => {
      try {
        // The store itself answers a query (not a row that happens to be seeded).
        await sql`select 1`.execute(s.database.db);
        return { ok: true, checks: { database: 'ok' } };
      } catch (e) {
        return { ok: false, checks: { database: (e as Error).message } };
      }
    },
    registry,
    metrics: http,
    modules,
    maxBodyBytes: s.config.maxBodyBytes,
    rateLimitPerMinute: s.config.rateLimitPerMinute,
    authFailuresPerMinute: s.config.authFailuresPerMinute,
    trustProxy: s.config.trustProxy,
    timeouts: s.config.timeouts,
    maxConnections: s.config.maxConnections,
    metricsToken: s.config.metricsToken,
    writeBudget: {
      bytesPerMinute: s.config.writeBudgetBytes,
      cpuMsPerMinute: s.config.writeBudgetCpuMs,
      concurrentWrites: s.config.writeConcurrency,
      queue: { maxQueued: s.config.writeQueueMax, maxWaitMs: s.config.writeQueueWaitMs },
    },
    responseBufferBytes: s.config.responseBufferBytes,
    webRoot: join(projectRoot, 'dist', 'web'),
  });
}

/** Starts the server; resolves with a stop function that drains in-flight requests. */
export async function serve(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  const services = await createServices(config);
  if (config.demo) process.stdout.write(await prepareDemo(services, config.dataDir));
  const app = await createApp(services);
  services.treaty.warm(); // Article 6 geometry loaded before the first request (cached after the first build)
  await app.listen({ port: config.port, host: config.host, backlog: config.listenBacklog });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host}:${port}/`;
  return {
    url,
    stop: async () => {
      await app.close();
      await services.close();
    },
  };
}
