import { afterAll, describe, expect, it } from 'vitest';
import { PreparePool, inThreadPreparer } from './prepare-pool.ts';
import { KnowledgeService } from './knowledge.service.ts';
import { KnowledgeRepository } from './knowledge.repository.ts';
import { DEFAULT_LIMITS } from '../stix/validate.ts';
import { isRejection, jsonText, type IngestOptions, type PreparedBatch, type RawItem } from './knowledge.ts';
import type { IngestInput } from './knowledge.service.ts';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabases } from '../../../test/databases.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { systemClock } from '../../platform/clock.ts';

const opts: IngestOptions = { defaultTlp: 'amber', audience: ['PL', 'LT'], limits: DEFAULT_LIMITS };

function items(n: number): RawItem[] {
  return Array.from({ length: n }, (_, i): RawItem => {
    const id = `tool--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    if (i % 50 === 7) return { index: i, text: '{"type": "tool", "id": ' }; // truncated
    if (i % 50 === 8)
      return {
        index: i,
        text: JSON.stringify({
          type: 'tool',
          spec_version: '2.1',
          id: 'tool--nope',
          created: '2024-01-01T00:00:00Z',
          modified: '2024-01-01T00:00:00Z',
          name: 'x',
        }),
      };
    if (i % 50 === 9) return { index: i, skipped: 'element too deep' };
    const marking =
      i % 3 === 0 ? { object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] } : {};
    return {
      index: i,
      text: JSON.stringify({
        type: 'tool',
        spec_version: '2.1',
        id,
        created: '2024-01-01T00:00:00.000Z',
        modified: `2024-01-0${1 + (i % 3)}T00:00:00.000Z`,
        name: `t${i}`,
        ...marking,
      }),
    };
  });
}

async function collect(batches: AsyncIterable<PreparedBatch>): Promise<PreparedBatch[]> {
  const out: PreparedBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

/** Every result with its JSON as text, wherever it was prepared. */
function texts(batches: PreparedBatch[]) {
  return batches.flatMap((b) => b.results.map((p) => (isRejection(p) ? p : { ...p, json: jsonText(p.json) })));
}

const dir = mkdtempSync(join(tmpdir(), 'bulwark-prepare-'));
let files = 0;

/** A bundle file of the elements (a skipped element becomes one nested too deep for the scanner). */
function bundleFile(elements: RawItem[]): string {
  const deep = '['.repeat(60) + ']'.repeat(60);
  const body = elements.map((e) =>
    'text' in e ? e.text : 'skipped' in e ? `{"type": "x-deep", "v": ${deep}}` : JSON.stringify(e.value),
  );
  const file = join(dir, `bundle-${++files}.json`);
  // Truncated elements would break the whole file: they stay out of it.
  writeFileSync(
    file,
    `{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": [\n${body.filter((t) => !t.endsWith(': ')).join(',\n')}\n]}`,
  );
  return file;
}

describe('PreparePool (parsing on a worker thread)', () => {
  const pool = new PreparePool();
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives exactly what parsing on the calling thread gives, rejections included', async () => {
    const batch = items(1500);
    const [threaded, inThread] = [
      await collect(pool.batches(batch, opts, 600)),
      await collect(inThreadPreparer.batches(batch, opts, 600)),
    ];
    expect(threaded.map((b) => b.results.length)).toEqual([600, 600, 300]);
    expect(threaded.every((b) => b.results.some((p) => !isRejection(p) && p.json instanceof Uint8Array))).toBe(true);
    expect(texts(threaded)).toEqual(texts(inThread));
  });

  it("parses a TAXII envelope's bytes on the thread, in batches, as the calling thread would; a malformed envelope is a 400 naming the field", async () => {
    const values = items(1300)
      .filter((i): i is { index: number; text: string } => 'text' in i && i.index % 50 !== 7)
      .map((i) => JSON.parse(i.text) as unknown);
    values.push({ type: 'tool', id: 'tool--nope', modified: '2024-05-01T00:00:00.000Z' });
    const bytes = Buffer.from(JSON.stringify({ objects: values }));
    const [threaded, inThread] = [
      await collect(pool.envelope(bytes, opts, 500)),
      await collect(inThreadPreparer.envelope(bytes, opts, 500)),
    ];
    const flat = (bs: PreparedBatch[]) =>
      bs.flatMap((b) => b.results.map((r) => (isRejection(r) ? r : { ...r, json: jsonText(r.json) })));
    expect(threaded.map((b) => b.results.length)).toEqual([500, 500, values.length - 1000]);
    expect(flat(threaded)).toEqual(flat(inThread));
    // A rejected element keeps its version for the TAXII status.
    expect(flat(threaded).at(-1)).toMatchObject({ id: 'tool--nope', version: '2024-05-01T00:00:00.000Z' });
    for (const [body, field] of [
      ['{"objects": [', 'body'],
      ['[1]', 'body'],
      ['{}', 'objects'],
      ['{"objects": 3}', 'objects'],
    ] as const) {
      for (const p of [pool, inThreadPreparer])
        await expect(collect(p.envelope(Buffer.from(body), opts, 500))).rejects.toMatchObject({
          code: 'validation',
          field,
        });
    }
  });

  it('reads a bundle file itself, batch by batch, as the calling thread would read it', async () => {
    const file = bundleFile(items(1300));
    const [threaded, inThread] = [
      await collect(pool.file(file, opts, 500)),
      await collect(inThreadPreparer.file(file, opts, 500)),
    ];
    expect(threaded.map((b) => b.results.length)).toEqual([500, 500, 274]); // 26 truncated elements left out
    expect(texts(threaded)).toEqual(texts(inThread));
    expect(threaded.at(-1)!.bytesRead).toBe(statSync(file).size);
  });

  it("fails a truncated file with the scanner's reason, and the file can be read again afterwards", async () => {
    const file = join(dir, 'truncated.json');
    writeFileSync(file, readFileSync(bundleFile(items(900))).subarray(0, 100_000));
    await expect(collect(pool.file(file, opts, 200))).rejects.toThrow(/truncated JSON/);
    await expect(collect(pool.file(file, opts, 200))).rejects.toThrow(/truncated JSON/);
    expect((await collect(pool.file(bundleFile(items(300)), opts, 200))).map((b) => b.results.length)).toEqual([
      200, 94,
    ]); // 6 truncated elements left out
  });

  it.each([
    // In the file, the 100 truncated elements are left out; 100 invalid ids and 100 too deep remain.
    ['elements', (): IngestInput => items(5000), 5000, 300],
    ['a bundle file', (): IngestInput => ({ file: bundleFile(items(5000)) }), 4900, 200],
  ])(
    'an ingest of %s through it reports and stores what an ingest without it does',
    async (_, input, total, rejected) => {
      const reports = [];
      for (const preparer of [pool, inThreadPreparer]) {
        const database = await testDatabases[0]!.open();
        await new OrganisationRepository(database.db).seed();
        const svc = new KnowledgeService(new KnowledgeRepository(database), systemClock, preparer);
        const r = await svc.ingest(systemActor('test'), input(), { asOrg: 'PL' });
        const stored = await svc.list({
          reader: { kind: 'system', name: 't' },
          scope: { kind: 'all' },
          versions: ['all'],
        });
        reports.push({
          accepted: r.accepted.map((a) => a.id),
          rejected: r.rejected,
          duplicates: r.duplicates,
          total: r.total,
          stored: stored.map((s) => [s.id, s.version, s.tlp, s.json]),
        });
        await database.close();
      }
      expect(reports[0]).toEqual(reports[1]);
      expect(reports[0]!.total).toBe(total);
      expect(reports[0]!.rejected).toHaveLength(rejected);
    },
  );
});
