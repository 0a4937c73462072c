import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/platform/db/database.ts';

import { hasService, PG_URL } from './services.ts';

export { PG_URL };

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** `migrateUntil`: a store as it was after that migration (upgrade tests then run the rest with `migrate`). */
  open(opts?: { migrateUntil?: string }): Promise<Database>;
}

/**
 * The two stores every *.db.test.ts runs against (PostgreSQL where a server answers; see
 * test/services.ts). Each open() gives a fresh, empty store: an in-memory SQLite database, or a new
 * PostgreSQL schema that is dropped on close.
 */
export const sqliteMemory: TestDatabase = {
  name: 'sqlite',
  open: (opts) => openDatabase({ sqliteFile: ':memory:', ...opts }),
};

export const postgresDatabase: TestDatabase = {
  name: 'postgres',
  open: async (opts) => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const d = await openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 4, ...opts });
    return {
      ...d,
      close: async () => {
        await d.close();
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop schema if exists "${schema}" cascade`);
        await c.end();
      },
    };
  },
};

export const testDatabases: TestDatabase[] = hasService('postgres') ? [sqliteMemory, postgresDatabase] : [sqliteMemory];

/**
 * SQLite as `bulwark serve` runs it: a file store in WAL mode with a reader thread, so hot list paths
 * (TAXII pages) read on another connection. The directory is removed on close.
 */
export const sqliteFileStore: TestDatabase = {
  name: 'sqlite',
  open: async (opts) => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-test-'));
    const d = await openDatabase({ dataDir: dir, readThreads: 1, ...opts });
    return {
      ...d,
      close: async () => {
        await d.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
