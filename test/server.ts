import { createApp, createServices, type Services } from '../src/main.ts';
import type { Config } from '../src/platform/config.ts';
import { rmSync } from 'node:fs';
import { testConfig } from './config.ts';
import { silentLogger } from '../src/platform/log.ts';
import type { App } from '../src/platform/http/app.ts';
import { testDatabases, type TestDatabase } from './databases.ts';
import { tokenFor } from './stream-fixture.ts';

export interface TestServer {
  services: Services;
  app: App;
  /** Creates a user of `org` and returns its bearer token. */
  token(org: string, role?: 'analyst' | 'admin'): Promise<string>;
  close(): Promise<void>;
}

/** An in-process server on a fresh store (SQLite in memory unless told otherwise). */
export async function testServer(
  opts: { db?: TestDatabase; maxBodyBytes?: number; config?: Partial<Config>; env?: NodeJS.ProcessEnv } = {},
): Promise<TestServer> {
  const database = await (opts.db ?? testDatabases[0]!).open();
  const config = {
    ...testConfig(opts.env ?? {}),
    ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    ...opts.config,
  };
  const services = await createServices(config, { database, log: silentLogger });
  const app = await createApp(services);
  await app.ready();
  return {
    services,
    app,
    token: (org, role) => tokenFor(services, org, role),
    close: async () => {
      await app.close();
      await services.close();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
