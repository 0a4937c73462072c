import { afterAll, describe, expect, it } from 'vitest';
import { PreparePool, inThreadPreparer } from './prepare-pool.ts';
import { KnowledgeService } from './knowledge.service.ts';
import { KnowledgeRepository } from './knowledge.repository.ts';
import { DEFAULT_LIMITS } from '../stix/validate.ts';
import type { IngestOptions, RawItem } from './knowledge.ts';
import { testDatabases } from '../../../test/databases.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { systemActor } from '../sharing/actor.ts';
import { systemClock } from '../../platform/clock.ts';

const opts: IngestOptions = { defaultTlp: 'amber', audience: ['PL', 'LT'], limits: DEFAULT_LIMITS };

function items(n: number): RawItem[] {
  return Array.from({ length: n }, (_, i): RawItem => {
    const id = `tool--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    if (i % 50 === 7) return { index: i, text: '{"type": "tool", "id": ' }; // truncated
    if (i % 50 === 8) return { index: i, text: JSON.stringify({ type: 'tool', spec_version: '2.1', id: 'tool--nope', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', name: 'x' }) };
    if (i % 50 === 9) return { index: i, skipped: 'element too deep' };
    const marking = i % 3 === 0 ? { object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] } : {};
    return { index: i, text: JSON.stringify({ type: 'tool', spec_version: '2.1', id, created: '2024-01-01T00:00:00.000Z', modified: `2024-01-0${1 + (i % 3)}T00:00:00.000Z`, name: `t${i}`, ...marking }) };
  });
}

describe('PreparePool (parsing on a worker thread)', () => {
  const pool = new PreparePool();
  afterAll(async () => pool.close());

  it('gives exactly what parsing on the calling thread gives, rejections included', async () => {
    const batch = items(600);
    expect(await pool.prepare(batch, opts)).toEqual(await inThreadPreparer.prepare(batch, opts));
  });

  it('an ingest through it reports and stores what an ingest without it does', async () => {
    const reports = [];
    for (const preparer of [pool, inThreadPreparer]) {
      const database = await testDatabases[0]!.open();
      await new OrganisationRepository(database.db).seed();
      const svc = new KnowledgeService(new KnowledgeRepository(database), systemClock, preparer);
      const r = await svc.ingest(systemActor('test'), items(5000), { asOrg: 'PL' });
      const stored = await svc.list({ reader: { kind: 'system', name: 't' }, scope: { kind: 'all' }, versions: ['all'] });
      reports.push({ accepted: r.accepted.map((a) => a.id), rejected: r.rejected, duplicates: r.duplicates, total: r.total, stored: stored.map((s) => [s.id, s.version, s.tlp, s.json]) });
      await database.close();
    }
    expect(reports[0]).toEqual(reports[1]);
    expect(reports[0]!.total).toBe(5000);
    expect(reports[0]!.rejected).toHaveLength(300);
  });
});
