import { sqliteMemory } from '../databases.ts';
import { sequenceSuite } from './releasability-sequence.suite.ts';

sequenceSuite(sqliteMemory);
