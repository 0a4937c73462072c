/**
 * What one incident report writes to SQLite's write-ahead log, by B-tree: reports written through the use case
 * in process, one at a time with a pause after each (as at 100 reports/s, where each commits alone), the
 * outbox relay and correlation running as in the server, checkpoints held off so that the log keeps every
 * frame. Frames are pages written (16 KiB each); their count, and the commits, do not depend on the machine's
 * speed, so a change in them is seen in one run where CPU figures need many. The reports are those of
 * bench/report-path-client.ts: the 31 members in turn, one in five with a template narrative.
 * Run: npx tsx bench/report-wal.bench.ts [reports=100] [warm-up reports=1000] [pause ms=15]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/platform/config.ts';
import { silentLogger } from '../src/platform/log.ts';
import { createServices } from '../src/main.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { tokenFor } from '../test/stream-fixture.ts';
import type { CreateIncidentInput } from '../src/contexts/intel/incident.schema.ts';
import type { UserActor } from '../src/kernel/access/actor.ts';
import { reportBody } from './report-body.ts';

const N = Number(process.argv[2] ?? 100);
const WARM = Number(process.argv[3] ?? 1000);
const PAUSE = Number(process.argv[4] ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'bulwark-report-wal-'));
// Checkpoints by hand only: the log then holds every frame written since the last one.
const database = await openDatabase({ dataDir: dir, checkpoints: 'manual' });
const s = await createServices(loadConfig({ data: dir }, {}), { log: silentLogger, events: {}, database });
await s.events.start();
const sqlite = s.database.sqlite!;
const members = (await s.orgs.list()).filter((o) => o.kind === 'member').slice(0, 31);
const actors: UserActor[] = [];
for (const m of members) {
  const a = await s.users.authenticate(await tokenFor(s, m.code));
  if (a?.kind !== 'user') throw new Error(`no user for ${m.code}`);
  actors.push(a);
}
const report = async (i: number) => {
  const org = members[i % members.length]!.code;
  await s.intel.incidents.report(
    actors[i % actors.length]!,
    JSON.parse(reportBody('w', i, org)) as CreateIncidentInput,
  );
};
for (let i = 0; i < WARM; i++) await report(i);
await s.intel.correlation.settled();
await s.events.relay.flush();
sqlite.pragma('wal_checkpoint(TRUNCATE)');
for (let i = WARM; i < WARM + N; i++) {
  await report(i);
  if (PAUSE) await new Promise((r) => setTimeout(r, PAUSE));
}
await s.intel.correlation.settled();
await s.events.relay.flush();

const wal = readFileSync(join(dir, 'bulwark.sqlite-wal'));
const pageSize = wal.readUInt32BE(8);
const treeOf = new Map<number, string>();
for (const r of sqlite.prepare('select name, pageno from dbstat').all() as Array<{ name: string; pageno: number }>)
  treeOf.set(r.pageno, r.name);
const frames = new Map<string, number>();
let total = 0;
let commits = 0;
// A WAL file: a 32-byte header, then frames of a 24-byte header (page number, and the database size on a commit) and a page.
for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
  const tree = treeOf.get(wal.readUInt32BE(off)) ?? '(freed page)';
  frames.set(tree, (frames.get(tree) ?? 0) + 1);
  total++;
  if (wal.readUInt32BE(off + 4) !== 0) commits++;
}
console.log(
  `${N} reports after ${WARM}, ${PAUSE} ms apart: ${(commits / N).toFixed(2)} commits and ${(total / N).toFixed(1)} frames of ${pageSize / 1024} KiB per report (${((total * pageSize) / N / 1024).toFixed(0)} KiB)`,
);
console.log('\n| frames per report | B-tree |\n|---|---|');
for (const [k, v] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`| ${(v / N).toFixed(2)} | ${k} |`);
await s.close();
