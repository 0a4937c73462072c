import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sqliteFileStore, testDatabases, type TestDatabase } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { KnowledgeRepository, type ObjectQuery } from '../knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { systemClock } from '../../platform/clock.ts';

const KiB = 1024;

function identity(bytes: number): Record<string, unknown> {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${randomUUID()}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: 'large',
    description: 'd'.repeat(bytes),
    object_marking_refs: [TLP2_MARKING_IDS.clear],
  };
}

const stores: TestDatabase[] = [...testDatabases, { ...sqliteFileStore, name: 'sqlite' }];

// Pages are bounded in bytes as well as in objects (TAXII 2.1 lets a server return fewer than `limit`,
// with `more`): before, a page held every matching object up to `limit`, and one page of many 4 MiB
// objects ran the reader thread out of heap and ended the whole process.
describe.each(stores.map((s, i) => [i === 2 ? 'sqlite file store (reader thread)' : s.name, s] as const))(
  'pages of large objects on %s',
  (_name, store) => {
    let database: Database | undefined;
    afterEach(async () => {
      await database?.close();
      database = undefined;
    });

    it(
      'are cut at the byte bound with more to come, a larger object comes alone, and paging reaches every object once',
      { timeout: 60_000 },
      async () => {
        database = await store.open();
        await new OrganisationRepository(database.db).seed();
        const repo = new KnowledgeRepository(database);
        const svc = new KnowledgeService(repo, systemClock);
        const sizes = [300, 300, 300, 1200, 300, 300, 300, 300, 10, 10].map((k) => k * KiB);
        const objects = sizes.map(identity);
        expect(
          (
            await svc.ingest(
              systemActor('test'),
              objects.map((value, index) => ({ index, value })),
              { asOrg: 'PL' },
            )
          ).accepted,
        ).toHaveLength(objects.length);
        const maxBytes = 1024 * KiB;
        const seen: string[] = [];
        let after: number | undefined;
        const pages: Array<{ ids: string[]; bytes: number; more: boolean }> = [];
        for (let guard = 0; guard < 20; guard++) {
          const q: ObjectQuery = {
            reader: { kind: 'anonymous' },
            scope: { kind: 'public' },
            limit: 101,
            ...(after !== undefined ? { addedAfterUs: after } : {}),
          };
          const page = await repo.listJoined(q, 100, { room: 0, suffix: '' }, maxBytes);
          const list = JSON.parse(`[${page.json.body.toString()}]`) as Array<{ id: string }>;
          expect(list).toHaveLength(page.count);
          pages.push({ ids: list.map((o) => o.id), bytes: page.json.body.byteLength, more: page.more });
          seen.push(...list.map((o) => o.id));
          if (!page.more) break;
          after = page.last!.added_us;
        }
        // The store's own TLP definitions (public, first in every store) come before them.
        expect(seen.filter((id) => !id.startsWith('marking-definition--'))).toEqual(objects.map((o) => o.id));
        for (const p of pages) expect(p.ids.length === 1 || p.bytes <= maxBytes + p.ids.length).toBe(true);
        // The first page also holds the nine small TLP definitions.
        expect(pages.map((p) => p.ids.length)).toEqual([9 + 3, 1, 3, 3]);
        expect(pages.map((p) => p.more)).toEqual([true, true, true, false]);
        // The object larger than the bound is a page of its own.
        expect(pages[1]!.ids).toEqual([objects[3]!.id]);
      },
    );
  },
);
