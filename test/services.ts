import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * The services some tests need. `npm test` probes them once (test/global-setup.ts); tests that need a
 * missing one are skipped and named at the end of the run (test/skip-reporter.ts). Under
 * BULWARK_TEST_REQUIRE (CI sets "postgres,nats,chromium,nginx") a missing service fails the run instead.
 */
export const SERVICES = ['postgres', 'nats', 'chromium', 'nginx'] as const;
export type TestService = (typeof SERVICES)[number];

/** Where the suite looks for PostgreSQL first. */
export const CONFIGURED_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The PostgreSQL the tests use: the configured one, or the embedded server the set-up started instead. */
export const PG_URL = providedPgUrl() ?? CONFIGURED_PG_URL;

function providedPgUrl(): string | undefined {
  try {
    return inject('bulwarkPgUrl');
  } catch {
    return undefined; // outside a test worker (the global set-up itself)
  }
}
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The nginx that scripts/proxy-nginx.sh starts (it runs `nginx` from PATH; Debian's is here). */
export const NGINX_PATH = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

declare module 'vitest' {
  export interface ProvidedContext {
    bulwarkServices: Record<TestService, string | null>;
    bulwarkPgUrl: string;
  }
}

/** null when the service answered, else why it is missing and how to enable it. */
export async function probe(service: TestService): Promise<string | null> {
  switch (service) {
    case 'postgres': {
      const c = new pg.Client({ connectionString: CONFIGURED_PG_URL, connectionTimeoutMillis: 3000 });
      try {
        await c.connect();
        await c.query('select 1');
        return null;
      } catch (e) {
        return `PostgreSQL tests skipped: no server at ${redact(CONFIGURED_PG_URL)} (${(e as Error).message}); start one or set TEST_DATABASE_URL`;
      } finally {
        await c.end().catch(() => undefined);
      }
    }
    case 'nats': {
      const u = new URL(NATS_URL);
      const ok = await new Promise<boolean>((resolve) => {
        const s = createConnection({ host: u.hostname, port: Number(u.port || 4222) });
        const done = (v: boolean) => {
          s.destroy();
          resolve(v);
        };
        s.setTimeout(3000, () => done(false));
        s.once('data', (d) => done(d.toString('utf8').startsWith('INFO ')));
        s.once('error', () => done(false));
      });
      return ok
        ? null
        : `NATS JetStream tests skipped: no server at ${NATS_URL}; start nats-server -js or set TEST_NATS_URL`;
    }
    case 'chromium':
      return existsSync(CHROMIUM_PATH)
        ? null
        : `Browser end-to-end tests skipped: no Chromium at ${CHROMIUM_PATH}; apt-get install chromium or set CHROMIUM_PATH`;
    case 'nginx':
      return existsSync(NGINX_PATH)
        ? null
        : `Proxy tests (scripts/proxy-nginx.sh) skipped: no nginx at ${NGINX_PATH}; apt-get install nginx-light or set NGINX_PATH`;
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Whether a service is present in this run (inside a test file). */
export function hasService(service: TestService): boolean {
  return inject('bulwarkServices')[service] === null;
}
