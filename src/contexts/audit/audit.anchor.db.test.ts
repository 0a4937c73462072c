import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { createCouncil, type Council } from '../council/council.module.ts';
import { ManualClock, meetingInput, silenceInput, userOf } from '../council/council.fixtures.ts';
import { testAnchor } from './audit.fixtures.ts';
import { chainHash, GENESIS, keyring } from './audit.ts';

/**
 * Someone who can write the database, but holds neither the audit key nor the data folder, must not
 * be able to shorten or rewrite the chain, or change a council record, without `audit verify` saying so.
 */
describe.each(testDatabases)('anchored audit chain on $name', (tdb) => {
  let database: Database;
  let clock: ManualClock;
  let anchor: ReturnType<typeof testAnchor>;
  let c: Council;
  const council = (a: typeof anchor) =>
    createCouncil({
      database,
      clock,
      log: silentLogger,
      notifier: { nudge: () => undefined },
      minSilenceSeconds: 60,
      anchor: a,
    });
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    clock = new ManualClock(Date.parse('2025-09-10T08:00:00.000Z'));
    anchor = testAnchor();
    c = council(anchor);
    await c.audit.start();
  });
  afterEach(async () => {
    await c.audit.checkpoint();
    await database.close();
    anchor.remove();
  });

  /** Five entries: a silence procedure with three positions, settled; checkpointed. */
  const history = async () => {
    const p = await c.council.create(userOf('PL'), silenceInput(clock));
    await c.council.takePosition(userOf('FR'), p.id, { position: 'concur' });
    await c.council.takePosition(userOf('DE'), p.id, { position: 'reservation', statement: 'original' });
    await c.council.takePosition(userOf('IT'), p.id, { position: 'concur' });
    clock.advance(60_000);
    expect(await c.council.settleDue()).toBe(1);
    await c.audit.checkpoint();
    expect(await c.audit.verify()).toMatchObject({ ok: true, entries: 5, checkpoint: { seq: 5 } });
    return p;
  };

  it('deleting the newest entries is detected against the signed checkpoint', async () => {
    await history();
    await sql`delete from audit_log where seq >= 4`.execute(database.db);
    expect(await c.audit.verify()).toMatchObject({
      ok: false,
      entries: 3,
      reason: expect.stringMatching(/3 entries but the signed checkpoint .* records 5: entries were deleted/),
    });
  });

  it('a full rewrite with recomputed hashes is detected without the key (HMACs kept, or removed)', async () => {
    await history();
    const rows = await database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    let prev = GENESIS;
    for (const r of rows) {
      const data = r.data.replace('original', 'forged');
      const hash = chainHash(prev, {
        seq: Number(r.seq),
        at: r.at,
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        data,
      });
      await database.db
        .updateTable('audit_log')
        .set({ data, prev_hash: `tmp-${String(r.seq)}`, hash })
        .where('seq', '=', r.seq)
        .execute();
      prev = hash;
    }
    prev = GENESIS;
    for (const r of await database.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq').execute()) {
      await database.db.updateTable('audit_log').set({ prev_hash: prev }).where('seq', '=', r.seq).execute();
      prev = r.hash;
    }
    expect(await c.audit.verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      reason: expect.stringMatching(/HMAC does not match/),
    });
    await database.db.updateTable('audit_log').set({ mac: null, key_id: null }).execute();
    expect(await c.audit.verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 1,
      reason: expect.stringMatching(/no HMAC/),
    });
  });

  it('a council row changed without a chain entry is reported', async () => {
    const p = await history();
    const m = await c.council.create(userOf('PL'), meetingInput({ kind: 'deployment-mandate', host: 'UA' }));
    await c.audit.checkpoint();
    expect(await c.audit.verify()).toMatchObject({ ok: true });
    await database.db
      .updateTable('council_proposals')
      .set({ status: 'adopted', decided_at: clock.iso() })
      .where('id', '=', m.id)
      .execute();
    await database.db
      .updateTable('council_positions')
      .set({ statement: 'forged' })
      .where('proposal_id', '=', p.id)
      .where('org', '=', 'DE')
      .execute();
    const r = await c.audit.verify();
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/2 council record/) });
    expect(r.council).toHaveLength(2);
    expect(r.council).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`${p.id}: DE's position`)),
        `${m.id}: status is adopted in the table but circulating in the audit chain`,
      ]),
    );
    // A proposal inserted with SQL has no create entry at all.
    await database.db
      .insertInto('council_proposals')
      .values({
        ...(await database.db
          .selectFrom('council_proposals')
          .selectAll()
          .where('id', '=', m.id)
          .executeTakeFirstOrThrow()),
        id: 'proposal--sql',
      })
      .execute();
    expect((await c.audit.verify()).council).toContain(
      'proposal--sql: no create entry in the audit chain (the row was written outside the council)',
    );
  });

  it('rotation: entries under the retired key still verify; without it they are named', async () => {
    await history();
    const rotated = { ...anchor, ring: keyring('n'.repeat(64), [anchor.secret]) };
    c = council(rotated);
    await c.audit.start();
    await c.council.create(userOf('LT'), meetingInput());
    await c.audit.checkpoint();
    expect(await c.audit.verify()).toMatchObject({ ok: true, entries: 6, checkpoint: { seq: 6 } });
    const keys = await database.db.selectFrom('audit_log').select('key_id').orderBy('seq').execute();
    expect(new Set(keys.map((k) => k.key_id)).size).toBe(2);
    c = council({ ...anchor, ring: keyring('n'.repeat(64)) });
    expect(await c.audit.verify()).toMatchObject({
      ok: false,
      firstBrokenSeq: 1,
      reason: expect.stringMatching(/not in the keyring.*BULWARK_AUDIT_OLD_KEYS/),
    });
  });
});
