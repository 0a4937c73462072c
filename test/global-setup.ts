import type { TestProject } from 'vitest/node';
import { probe, SERVICES, type TestService } from './services.ts';

/**
 * Probes the services once per run. A missing service skips the tests that need it, unless it is
 * named in BULWARK_TEST_REQUIRE (comma-separated; CI requires all), which fails the run at once.
 */
export default async function setup(project: TestProject): Promise<void> {
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
  const missing = SERVICES.filter((s) => found[s] !== null && required.has(s));
  if (missing.length > 0) {
    throw new Error(
      `BULWARK_TEST_REQUIRE names services that are missing:\n${missing.map((s) => `  ${found[s]}`).join('\n')}`,
    );
  }
  // The reporter runs in this process and prints these after the summary.
  process.env.BULWARK_TEST_SKIPPED = JSON.stringify(SERVICES.map((s) => found[s]).filter((r) => r !== null));
  project.provide('bulwarkServices', found);
}
