import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PG_URL, testDatabases } from '../../../test/databases.ts';
import { hasService } from '../../../test/services.ts';
import { openDatabase, type Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/log.ts';
import { createServices } from '../../main.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { createCouncil } from './council.module.ts';
import { ManualClock, silenceInput, userOf } from './council.fixtures.ts';
import { testAnchor } from '../audit/audit.fixtures.ts';

/** A store that survives close and can be opened again (a file, or a named PostgreSQL schema). */
function durableStore(name: 'sqlite' | 'postgres'): { open(): Promise<Database>; destroy(): Promise<void> } {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-council-'));
    return {
      open: () => openDatabase({ dataDir: dir }),
      destroy: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    open: () => openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 4 }),
    destroy: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    },
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe.each(testDatabases)('silence deadlines on $name', (tdb) => {
  it('a deadline that passes while the server is down is settled at start', async () => {
    const store = durableStore(tdb.name);
    cleanups.push(() => store.destroy());
    const clock = new ManualClock(Date.parse('2025-09-19T09:00:00.000Z'));
    const config = loadConfig({}, { BULWARK_MIN_SILENCE_SECONDS: '0' });
    const auditAnchor = testAnchor();
    cleanups.push(async () => auditAnchor.remove());
    let s = await createServices(config, { database: await store.open(), clock, log: silentLogger, auditAnchor });
    const p = await s.council.create(
      userOf('EE'),
      silenceInput(clock, { kind: 'article-4-consultation', silenceEndsAt: clock.iso(5_000) }),
    );
    await s.council.takePosition(userOf('LV'), p.id, { position: 'concur' });
    await s.close();

    clock.advance(3_600_000);
    s = await createServices(config, { database: await store.open(), clock, log: silentLogger, auditAnchor });
    try {
      expect(await s.council.get(userOf('EE'), p.id)).toMatchObject({ status: 'adopted', decidedAt: p.silenceEndsAt });
      const settles = await s.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'settle').execute();
      expect(settles.map((r) => [r.subject, r.actor])).toEqual([[p.id, 'system:council-silence-scheduler']]);
      expect(await s.audit.verify()).toMatchObject({ ok: true, entries: 3 });
    } finally {
      await s.close();
    }
  });

  it('the running scheduler settles within a second of the deadline', async () => {
    const database = await tdb.open();
    cleanups.push(() => database.close());
    await new OrganisationRepository(database.db).seed();
    const anchor = testAnchor();
    cleanups.push(async () => anchor.remove());
    const c = createCouncil({
      database,
      clock: systemClock,
      log: silentLogger,
      notifier: { nudge: () => undefined },
      minSilenceSeconds: 0,
      anchor,
    });
    await c.audit.start();
    await c.scheduler.start();
    cleanups.push(() => c.scheduler.stop());
    const deadline = Date.now() + 700;
    const p = await c.council.create(
      userOf('PL'),
      silenceInput(new ManualClock(Date.now()), { silenceEndsAt: new Date(deadline).toISOString() }),
    );
    let status = p.status;
    while (status === 'circulating' && Date.now() < deadline + 3000) {
      await new Promise((r) => setTimeout(r, 25));
      status = (await c.council.get(userOf('PL'), p.id)).status;
    }
    const seenAt = Date.now();
    expect(status).toBe('adopted');
    expect(seenAt - deadline).toBeLessThan(1000);
  });
});

describe.skipIf(!hasService('postgres'))('two instances on one PostgreSQL schema', () => {
  it('race to settle: each proposal is settled by exactly one instance', async () => {
    const store = durableStore('postgres');
    cleanups.push(() => store.destroy());
    const clock = new ManualClock(Date.parse('2025-09-10T06:00:00.000Z'));
    const dbA = await store.open();
    const dbB = await store.open();
    cleanups.push(
      () => dbA.close(),
      () => dbB.close(),
    );
    await new OrganisationRepository(dbA.db).seed();
    // Two instances, each with its own data folder, sharing the audit key.
    const anchorA = testAnchor();
    const anchorB = { ...testAnchor(), ring: anchorA.ring };
    cleanups.push(
      async () => anchorA.remove(),
      async () => anchorB.remove(),
    );
    const a = createCouncil({
      database: dbA,
      clock,
      log: silentLogger,
      notifier: { nudge: () => undefined },
      minSilenceSeconds: 0,
      anchor: anchorA,
    });
    const b = createCouncil({
      database: dbB,
      clock,
      log: silentLogger,
      notifier: { nudge: () => undefined },
      minSilenceSeconds: 0,
      anchor: anchorB,
    });
    await a.audit.start();
    await b.audit.start();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(
        (
          await (i % 2 ? a : b).council.create(
            userOf('PL'),
            silenceInput(clock, { silenceEndsAt: clock.iso(1000 + i) }),
          )
        ).id,
      );
    clock.advance(60_000);

    const results = await Promise.all([
      a.council.settle(ids[0]!),
      b.council.settle(ids[0]!),
      a.council.settleDue(),
      b.council.settleDue(),
      a.scheduler.start(),
      b.scheduler.start(),
    ]);
    cleanups.push(
      () => a.scheduler.stop(),
      () => b.scheduler.stop(),
    );
    const wins = (results[0] ? 1 : 0) + (results[1] ? 1 : 0);
    expect(wins).toBeLessThanOrEqual(1);

    const settles = await dbA.db.selectFrom('audit_log').select(['subject']).where('action', '=', 'settle').execute();
    expect(settles.map((r) => r.subject).sort()).toEqual([...ids].sort());
    const rows = await dbB.db.selectFrom('council_proposals').select(['status']).execute();
    expect(rows.every((r) => r.status === 'adopted')).toBe(true);
    expect(await a.audit.verify()).toMatchObject({ ok: true, entries: 24 });
  });
});
