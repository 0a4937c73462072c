import { describe } from 'vitest';
import { postgresDatabase } from '../databases.ts';
import { hasService } from '../services.ts';
import { sequenceSuite } from './releasability-sequence.suite.ts';

// Its own file so that it runs beside the SQLite one; without PostgreSQL its tests are skipped (and the skip
// reporter names the missing service), as every PostgreSQL tier is.
describe.skipIf(!hasService('postgres'))('PostgreSQL', () => sequenceSuite(postgresDatabase));
