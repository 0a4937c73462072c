import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testServer, type TestServer } from '../../../test/server.ts';
import { sqliteFileStore } from '../../../test/databases.ts';
import { PAGE_MAX_BYTES } from '../knowledge/knowledge.repository.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { TAXII_MEDIA } from './taxii.ts';

const MiB = 1024 * 1024;
const identity = (bytes: number) => ({
  type: 'identity',
  spec_version: '2.1',
  id: `identity--${randomUUID()}`,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  name: 'large',
  description: 'd'.repeat(bytes),
  object_marking_refs: [TLP2_MARKING_IDS.clear],
});

// As `bulwark serve` runs: a SQLite file store whose TAXII pages are read on a reader thread.
describe('TAXII pages of large objects (reader thread)', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer({ db: sqliteFileStore });
  });
  afterEach(async () => s.close());

  it(
    'an anonymous read of the public collection comes in pages bounded in bytes, with more and next, and reaches every object',
    { timeout: 120_000 },
    async () => {
      const token = await s.token('PL');
      const posted: string[] = [];
      for (let k = 0; k < 3; k++) {
        const objects = [identity(1.5 * MiB), identity(1.5 * MiB), identity(1.5 * MiB)];
        const r = await s.app.inject({
          method: 'POST',
          url: '/taxii2/alliance/collections/alliance/objects/',
          headers: { accept: TAXII_MEDIA, 'content-type': TAXII_MEDIA, authorization: `Bearer ${token}` },
          payload: JSON.stringify({ objects }),
        });
        expect(r.statusCode).toBe(202);
        expect(r.json().success_count).toBe(3);
        posted.push(...objects.map((o) => o.id));
      }
      const seen: string[] = [];
      let next: string | undefined;
      for (let guard = 0; guard < 20; guard++) {
        const r = await s.app.inject({
          url: `/taxii2/alliance/collections/public/objects/${next ? `?next=${next}` : ''}`,
          headers: { accept: TAXII_MEDIA },
        });
        expect(r.statusCode).toBe(200);
        expect(r.rawPayload.byteLength).toBeLessThanOrEqual(PAGE_MAX_BYTES + 4096);
        const body: { more: boolean; next?: string; objects: Array<{ id: string }> } = r.json();
        seen.push(...body.objects.map((o) => o.id));
        if (!body.more) break;
        expect(body.objects.length).toBeLessThan(100);
        expect(body.next).toBeDefined();
        next = body.next;
      }
      // (The public collection also holds the store's own TLP:CLEAR definitions.)
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => posted.includes(id))).toEqual(posted);
      // The manifest lists every version on one page: it never reads the objects' JSON into the process.
      const m = await s.app.inject({
        url: '/taxii2/alliance/collections/public/manifest/',
        headers: { accept: TAXII_MEDIA },
      });
      const listed = (m.json().objects as Array<{ id: string; version: string }>).filter((o) => posted.includes(o.id));
      expect(listed.map((o) => [o.id, o.version])).toEqual(posted.map((id) => [id, '2024-01-01T00:00:00.000Z']));
    },
  );

  it('a read the reader thread fails is a TAXII 500 for that request; the server keeps serving', async () => {
    const pool = s.services.database.readPool!;
    const ok = await s.app.inject({
      url: '/taxii2/alliance/collections/public/objects/',
      headers: { accept: TAXII_MEDIA },
    });
    expect(ok.statusCode).toBe(200);
    await pool.close();
    const failed = await s.app.inject({
      url: '/taxii2/alliance/collections/public/objects/',
      headers: { accept: TAXII_MEDIA },
    });
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toMatchObject({ http_status: '500', title: 'Internal Server Error' });
    expect((await s.app.inject({ url: '/taxii2/', headers: { accept: TAXII_MEDIA } })).statusCode).toBe(200);
  });
});
