import pg from 'pg';
import { PG_URL } from './databases.ts';

/** The PostgreSQL half of the suite is never skipped: fail early and clearly when it is down. */
export default async function setup(): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.query('select 1');
  } catch (e) {
    throw new Error(`PostgreSQL is required by the test suite at ${PG_URL}: ${(e as Error).message}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}
