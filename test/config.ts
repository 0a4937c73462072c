import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../src/platform/config.ts';

/**
 * Settings for an in-process server under test: the given environment, and a data folder of its own in
 * the system's temporary directory, so that what a store keeps beside the database (the generated audit
 * key, signed checkpoints) never lands in the work tree's ./data.
 */
export function testConfig(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ data: mkdtempSync(join(tmpdir(), 'bulwark-test-data-')) }, env);
}
