import { describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { hasService, PG_URL } from '../../../../test/services.ts';
import { openDatabase } from '../database.ts';
import { migrate } from '../migrate.ts';
import { KnowledgeRepository } from '../../../contexts/knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../../../contexts/knowledge/knowledge.service.ts';
import { systemActor } from '../../../kernel/access/actor.ts';
import { OrganisationRepository } from '../../../contexts/sharing/organisation.repository.ts';

const system = { kind: 'system', name: 'test' } as const;

/** A store created before 003 (objects with a surrogate seq) upgrades in place and keeps every version. */
describe.each(hasService('postgres') ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const))(
  '003-objects-clustered upgrade (%s)',
  (name) => {
    it('keeps every stored version, drops seq, and the store reads and writes as before', async () => {
      const schema = `t_upgrade_${Math.random().toString(16).slice(2, 10)}`;
      const old =
        name === 'sqlite'
          ? await openDatabase({ sqliteFile: ':memory:', migrateUntil: '002-outbox-relay' })
          : await openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 2, migrateUntil: '002-outbox-relay' });
      try {
        const rows = Array.from({ length: 30 }, (_, i) => ({
          id: `indicator--00000000-0000-4000-8000-${String(i % 10).padStart(12, '0')}`,
          type: i % 3 === 0 ? 'malware' : 'indicator',
          spec_version: '2.1',
          version: String(1000 + i),
          added_us: 1_700_000_000_000_000 + i,
          date_added: new Date(1_700_000_000_000 + i).toISOString(),
          author: 'PL',
          tlp: 'green',
          audience: '',
          is_latest: i >= 20 ? 1 : 0,
          json: JSON.stringify({ n: i }),
        }));
        await old.db.insertInto('objects').values(rows).execute();
        const before = await old.db
          .selectFrom('objects')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(before.n)).toBe(30);

        await migrate(old.db as unknown as Kysely<unknown>, old.dialect);

        // (Later migrations add the store's own marking definitions, authored by no organisation.)
        const after = await old.db
          .selectFrom('objects')
          .selectAll()
          .where('author', '=', 'PL')
          .orderBy('added_us')
          .execute();
        expect(after.map((r) => ({ ...r, added_us: Number(r.added_us) }))).toEqual(rows);
        expect(Object.keys(after[0]!)).not.toContain('seq');
        const repo = new KnowledgeRepository(old);
        expect(
          (await repo.listPage({ reader: system, scope: { kind: 'all' }, types: ['malware'], versions: ['all'] })).map(
            (r) => Number(r.added_us),
          ),
        ).toEqual(rows.filter((r) => r.type === 'malware').map((r) => r.added_us));
        // A second version at an existing added_us is refused by the new key.
        await expect(
          old.db
            .insertInto('objects')
            .values({ ...rows[0]!, id: 'indicator--00000000-0000-4000-8000-999999999999' })
            .execute(),
        ).rejects.toThrow();
        // Writes after the upgrade: date_added continues after the stored ones; removing a version works by its key.
        await new OrganisationRepository(old.db).seed();
        const svc = new KnowledgeService(repo, { now: () => new Date('2020-01-01T00:00:00Z') });
        const report = await svc.ingest(
          systemActor('test'),
          [
            {
              index: 0,
              value: {
                type: 'malware',
                spec_version: '2.1',
                id: 'malware--11111111-1111-4111-8111-111111111111',
                created: '2024-01-01T00:00:00.000Z',
                modified: '2024-01-01T00:00:00.000Z',
                name: 'x',
                is_family: false,
              },
            },
          ],
          { asOrg: 'PL', defaultTlp: 'green' },
        );
        expect(report.accepted).toHaveLength(1);
        expect(await repo.lastAddedUs()).toBe(1_700_000_000_000_030);
      } finally {
        await old.close();
        if (name === 'postgres') {
          const pg = (await import('pg')).default;
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`drop schema if exists "${schema}" cascade`);
          await c.end();
        }
      }
    });
  },
);
