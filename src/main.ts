import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Config } from './platform/config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { buildApp, type App, type RouteModule } from './platform/http/app.ts';
import { createMetrics } from './platform/http/metrics.ts';
import { OrganisationRepository } from './contexts/sharing/organisation.repository.ts';
import { UserRepository } from './contexts/sharing/user.repository.ts';
import { UserService } from './contexts/sharing/user.service.ts';
import { sharingRoutes } from './contexts/sharing/sharing.routes.ts';

export const projectRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Everything the transports (HTTP, CLI) call: built once from config. */
export interface Services {
  config: Config;
  database: Database;
  log: Logger;
  clock: Clock;
  orgs: OrganisationRepository;
  users: UserService;
  /** Stops background work and closes the store; in-flight writes finish first. */
  close(): Promise<void>;
}

export async function createServices(config: Config, opts: { log?: Logger; clock?: Clock; database?: Database } = {}): Promise<Services> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const database = opts.database ?? (await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir }));
  const orgs = new OrganisationRepository(database.db);
  await orgs.seed();
  const users = new UserService(new UserRepository(database.db), orgs, clock);
  const closers: Array<() => Promise<void>> = [];
  return {
    config, database, log, clock, orgs, users,
    async close() {
      for (const c of closers.reverse()) await c();
      await database.close();
    },
  };
}

export async function createApp(s: Services): Promise<App> {
  const { registry, http } = createMetrics();
  const modules: RouteModule[] = [{ prefix: '/api/v1', plugin: sharingRoutes(s.orgs, s.users) }];
  return buildApp({
    log: s.log,
    authenticate: (t) => s.users.authenticate(t),
    ready: async () => {
      try {
        await s.orgs.get('US');
        return { ok: true, checks: { database: 'ok' } };
      } catch (e) {
        return { ok: false, checks: { database: (e as Error).message } };
      }
    },
    registry,
    metrics: http,
    modules,
    maxBodyBytes: s.config.maxBodyBytes,
    rateLimitPerMinute: Number(process.env.BULWARK_RATE_LIMIT ?? 60_000),
    webRoot: join(projectRoot, 'dist', 'web'),
  });
}

/** Starts the server; resolves with a stop function that drains in-flight requests. */
export async function serve(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  const services = await createServices(config);
  const app = await createApp(services);
  await app.listen({ port: config.port, host: config.host });
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
