import { testDatabases } from '../databases.ts';
import { sequenceSuite } from './releasability-sequence.suite.ts';

sequenceSuite(testDatabases.find((d) => d.name === 'sqlite')!);
