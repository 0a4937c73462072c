import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.ts';
import { CONFIGURED_PG_URL, probe, SERVICES, type TestService } from './services.ts';

/**
 * Probes the services once per run. Without a PostgreSQL server at the configured URL (and unless
 * TEST_DATABASE_URL names one), an embedded PostgreSQL from npm is started for the run. A service still
 * missing skips the tests that need it, unless it is named in BULWARK_TEST_REQUIRE (comma-separated; CI
 * requires all), which fails the run at once.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const required = new Set(
    (process.env.BULWARK_TEST_REQUIRE ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const r of required) {
    if (!(SERVICES as readonly string[]).includes(r))
      throw new Error(`BULWARK_TEST_REQUIRE: unknown service "${r}" (known: ${SERVICES.join(', ')})`);
  }
  const found = Object.fromEntries(
    await Promise.all(SERVICES.map(async (s) => [s, await probe(s)] as const)),
  ) as Record<TestService, string | null>;
  let embedded: RunningPostgres | undefined;
  if (found.postgres !== null && process.env.TEST_DATABASE_URL === undefined) {
    try {
      embedded = await startEmbeddedPostgres();
      found.postgres = null;
      process.stdout.write(
        `PostgreSQL tests run on an embedded server (embedded-postgres): no server at ${CONFIGURED_PG_URL}\n`,
      );
    } catch (e) {
      found.postgres += `; the embedded server did not start either: ${(e as Error).message.slice(0, 200)}`;
    }
  }
  const missing = SERVICES.filter((s) => found[s] !== null && required.has(s));
  if (missing.length > 0) {
    await embedded?.stop();
    throw new Error(
      `BULWARK_TEST_REQUIRE names services that are missing:\n${missing.map((s) => `  ${found[s]}`).join('\n')}`,
    );
  }
  // The reporter runs in this process and prints these after the summary.
  process.env.BULWARK_TEST_SKIPPED = JSON.stringify(SERVICES.map((s) => found[s]).filter((r) => r !== null));
  project.provide('bulwarkServices', found);
  project.provide('bulwarkPgUrl', embedded?.url ?? CONFIGURED_PG_URL);
  return async () => {
    await embedded?.stop();
  };
}
