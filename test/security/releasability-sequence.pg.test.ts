import { describe, it } from 'vitest';
import { postgresDatabase } from '../databases.ts';
import { hasService } from '../services.ts';
import { sequenceSuite } from './releasability-sequence.suite.ts';

// Its own file so that it runs beside the SQLite one; skipped (and named by the skip reporter) without PostgreSQL.
if (hasService('postgres')) sequenceSuite(postgresDatabase);
else describe.skip('releasability over write sequences on postgres', () => it('needs PostgreSQL'));
