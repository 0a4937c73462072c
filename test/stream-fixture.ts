import { EventIdCodec } from '../src/platform/events/event-id.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { silentLogger } from '../src/platform/log.ts';
import { appendToOutbox, type OutgoingEvent } from '../src/platform/events/outbox.ts';
import type { EventOptions } from '../src/platform/events/event-system.ts';
import { createApp, createServices, type Services } from '../src/main.ts';
import type { App } from '../src/platform/http/app.ts';
import type { Role } from '../src/kernel/access/actor.ts';

export interface Running {
  services: Services;
  app: App;
  base: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  database?: Database;
  natsUrl?: string;
  events?: Partial<EventOptions>;
  /** Environment for loadConfig (settings such as BULWARK_MAX_STREAMS_PER_USER); empty by default. */
  env?: NodeJS.ProcessEnv;
  config?: Partial<Config>;
}

/** A real server on an ephemeral port (SQLite in a temp dir unless a database is given). */
export async function startServer(o: StartOptions = {}): Promise<Running> {
  const config = {
    ...loadConfig(
      {
        data: o.dataDir ?? mkdtempSync(join(tmpdir(), 'bulwark-stream-')),
        ...(o.natsUrl ? { natsUrl: o.natsUrl } : {}),
      },
      o.env ?? {},
    ),
    ...o.config,
  };
  const services = await createServices(config, {
    log: silentLogger,
    ...(o.database ? { database: o.database } : {}),
    events: o.events ?? {},
  });
  const app = await createApp(services);
  await app.listen({ port: 0, host: '127.0.0.1', backlog: config.listenBacklog });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    services,
    app,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      await services.close();
    },
  };
}

/** Writes events the way a service does: in a transaction, then a nudge after commit. */
export async function emit(s: Services, events: OutgoingEvent[]): Promise<void> {
  await s.database.db.transaction().execute((trx) => appendToOutbox(trx, events, new Date().toISOString()));
  s.events.notifier.nudge();
}

let counter = 0;
/** Creates a user of `org` and returns its bearer token. */
export async function tokenFor(s: Services, org: string, role: Role = 'analyst'): Promise<string> {
  const { token } = await s.users.create({ member: org, name: `user${++counter}-${org}-${process.pid}`, role });
  return token;
}

/** The codec the server's stream enciphers event ids with (the store's key). */
export async function eventIds(s: Services): Promise<EventIdCodec> {
  return new EventIdCodec(await s.events.outbox.eventIdKey());
}
