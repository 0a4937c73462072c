import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { createCouncil, type Council } from './council.module.ts';
import { ManualClock, meetingInput, silenceInput, userOf } from './council.fixtures.ts';
import { testAnchor } from '../audit/audit.fixtures.ts';
import { membersOn, type Proposal } from './proposal.ts';
import { ProposalRepository } from './proposal.repository.ts';
import type { CreateProposalInput } from './proposal.schema.ts';
import { TreatyService } from '../treaty/treaty.service.ts';
import { encodeAudience } from '../../kernel/access/releasability.ts';

describe.each(testDatabases)('council on $name', (tdb) => {
  let database: Database;
  let clock: ManualClock;
  let c: Council;
  let nudges: number;
  let anchor: ReturnType<typeof testAnchor>;
  const pl = userOf('PL');
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    clock = new ManualClock(Date.parse('2025-09-10T08:00:00.000Z'));
    nudges = 0;
    anchor = testAnchor();
    c = createCouncil({
      database,
      clock,
      log: silentLogger,
      notifier: { nudge: () => void nudges++ },
      minSilenceSeconds: 60,
      anchor,
    });
    await c.audit.start();
  });
  afterEach(async () => {
    await c.scheduler.stop();
    await c.audit.checkpoint();
    await database.close();
    anchor.remove();
  });

  const auditActions = async (id: string) => (await c.audit.forSubject(id)).map((r) => `${r.action} ${r.actor}`);
  const outbox = async (id: string) =>
    (
      await database.db
        .selectFrom('outbox')
        .select(['event', 'tlp'])
        .where('object_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((r) => r.event);

  it('creates a circulating silence procedure with its members, audit entry and outbox event', async () => {
    const earlier = await c.council.create(pl, meetingInput());
    const p = await c.council.create(pl, silenceInput(clock, { references: [earlier.id, earlier.id] }));
    expect(p).toMatchObject({
      status: 'circulating',
      author: 'PL',
      tlp: 'amber',
      references: [earlier.id],
      membershipDate: '2025-09-10',
    });
    expect(p.members).toHaveLength(32);
    expect(await auditActions(p.id)).toEqual(['create user:pl-analyst@PL']);
    expect(await outbox(p.id)).toEqual(['proposal.created']);
    expect(nudges).toBe(2);
  });

  it('rejects bad inputs naming the field, and partners', async () => {
    await expect(c.council.create(pl, silenceInput(clock, { silenceEndsAt: undefined }))).rejects.toMatchObject({
      code: 'validation',
      field: 'silenceEndsAt',
    });
    await expect(c.council.create(pl, silenceInput(clock, { silenceEndsAt: clock.iso(-1) }))).rejects.toMatchObject({
      code: 'validation',
      field: 'silenceEndsAt',
    });
    await expect(c.council.create(pl, meetingInput({ kind: 'deployment-mandate' }))).rejects.toMatchObject({
      field: 'host',
    });
    await expect(c.council.create(pl, meetingInput({ kind: 'article-5-determination' }))).rejects.toMatchObject({
      field: 'assessment',
    });
    await expect(c.council.create(userOf('UA'), meetingInput())).rejects.toMatchObject({ code: 'forbidden' });
    expect(await database.db.selectFrom('audit_log').selectAll().execute()).toHaveLength(0);
  });

  it('one break-silence ends the procedure at once; a decided proposal never changes', async () => {
    const p = await c.council.create(pl, silenceInput(clock));
    clock.advance(1000);
    const broken = await c.council.takePosition(userOf('FR'), p.id, {
      position: 'break-silence',
      statement: 'France requests further consultation.',
    });
    expect(broken).toMatchObject({ status: 'silence-broken', decidedAt: clock.iso() });
    await expect(c.council.takePosition(userOf('DE'), p.id, { position: 'concur' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/never changes/),
    });
    await expect(c.council.withdraw(pl, p.id)).rejects.toMatchObject({ code: 'conflict' });
    clock.advance(120_000);
    expect(await c.council.settleDue()).toBe(0);
    expect((await c.council.get(pl, p.id)).status).toBe('silence-broken');
    expect(await auditActions(p.id)).toEqual(['create user:pl-analyst@PL', 'position user:fr-analyst@FR']);
  });

  it('settles at the deadline as adopted-with-reservations, once, as the system actor', async () => {
    const p = await c.council.create(pl, silenceInput(clock));
    await expect(c.council.takePosition(userOf('TR'), p.id, { position: 'reservation' })).rejects.toMatchObject({
      field: 'statement',
    });
    await c.council.takePosition(userOf('TR'), p.id, {
      position: 'reservation',
      statement: 'Türkiye dissociates itself from paragraph 3.',
    });
    clock.advance(59_999);
    expect(await c.council.settleDue()).toBe(0);
    clock.advance(1);
    expect(await c.council.settleDue()).toBe(1);
    expect(await c.council.settle(p.id)).toBe(false);
    const got = await c.council.get(pl, p.id);
    expect(got).toMatchObject({ status: 'adopted-with-reservations', decidedAt: p.silenceEndsAt });
    expect(got.positions.TR).toMatchObject({
      position: 'reservation',
      statement: 'Türkiye dissociates itself from paragraph 3.',
    });
    expect(await auditActions(p.id)).toEqual([
      'create user:pl-analyst@PL',
      'position user:tr-analyst@TR',
      'settle system:council-silence-scheduler',
    ]);
    expect(JSON.parse((await c.audit.forSubject(p.id))[2]!.data)).toMatchObject({
      reservations: [{ member: 'TR', statement: 'Türkiye dissociates itself from paragraph 3.' }],
    });
    expect(await outbox(p.id)).toEqual(['proposal.created', 'proposal.updated', 'proposal.updated']);
  });

  it('a meeting is adopted when the chair closes it with every member (on that date) concurring', async () => {
    clock.t = Date.parse('2023-06-01T10:00:00Z'); // after Finland's accession, before Sweden's
    const p = await c.council.create(userOf('FI'), meetingInput());
    expect(p.members).toEqual(membersOn('2023-06-01'));
    expect(p.members).toHaveLength(31);
    await expect(c.council.takePosition(userOf('SE'), p.id, { position: 'concur' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    for (const m of p.members)
      await c.council.takePosition(userOf(m), p.id, { position: m === 'HU' ? 'break-silence' : 'concur' });
    await expect(c.council.close(userOf('FI'), p.id)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/HU/),
    });
    await expect(c.council.close(userOf('DE'), p.id)).rejects.toMatchObject({ code: 'forbidden' });
    const hu = await c.council.takePosition(userOf('HU'), p.id, { position: 'concur' });
    expect(hu.status).toBe('circulating');
    expect(hu.positions.HU?.position).toBe('concur');
    const closed = await c.council.close(userOf('DE', 'admin'), p.id);
    expect(closed).toMatchObject({ status: 'adopted', decidedAt: clock.iso() });
    await expect(c.council.takePosition(userOf('HU'), p.id, { position: 'break-silence' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('withdraw by the author; revise supersedes the old proposal and starts a new round', async () => {
    const a = await c.council.create(pl, meetingInput());
    await expect(c.council.withdraw(userOf('FR'), a.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await c.council.withdraw(pl, a.id)).status).toBe('withdrawn');
    const b = await c.council.create(pl, silenceInput(clock));
    await c.council.takePosition(userOf('FR'), b.id, { position: 'reservation', statement: 'fn' });
    clock.advance(10_000);
    const next = await c.council.revise(pl, b.id, { text: 'Revised text.' });
    expect(next).toMatchObject({
      status: 'circulating',
      supersedes: b.id,
      text: 'Revised text.',
      positions: {},
      silenceEndsAt: clock.iso(60_000),
    });
    expect(await c.council.get(pl, b.id)).toMatchObject({ status: 'superseded', supersededBy: next.id });
    expect(await auditActions(next.id)).toEqual(['create user:pl-analyst@PL']);
    expect((await auditActions(b.id)).at(-1)).toBe('revise user:pl-analyst@PL');
    expect(await c.audit.verify()).toMatchObject({ ok: true, entries: 6 });
  });

  it('every read path applies releasability; partners read what is released to them but never take part', async () => {
    const amber = await c.council.create(pl, meetingInput());
    const green = await c.council.create(pl, meetingInput({ tlp: 'green', title: 'green' }));
    const onlyLt = await insertLegacy({ tlp: 'amber', audience: ['LT'] });
    const ua = userOf('UA');
    await expect(c.council.get(ua, amber.id)).rejects.toMatchObject({ code: 'not-found' });
    expect((await c.council.list(ua, { limit: 100 })).map((p) => p.id)).toEqual([green.id]);
    await expect(c.council.takePosition(ua, green.id, { position: 'concur' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(c.council.get(userOf('FR'), onlyLt.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(c.council.takePosition(userOf('FR'), onlyLt.id, { position: 'concur' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect((await c.council.list(userOf('LT'), { limit: 100 })).map((p) => p.id).sort()).toEqual(
      [amber.id, green.id, onlyLt.id].sort(),
    );
    expect(
      (await c.council.list(userOf('FR'), { limit: 100, kind: 'support-package', status: 'circulating' }))
        .map((p) => p.id)
        .sort(),
    ).toEqual([amber.id, green.id].sort());
    expect(await c.council.list(userOf('FR'), { limit: 100, status: 'adopted' })).toEqual([]);
  });

  /** A proposal stored as older versions stored it, before the release rule (no audit entry). */
  const insertLegacy = async (over: Partial<Proposal>): Promise<Proposal> => {
    const p: Proposal = {
      id: `proposal--${randomUUID()}`,
      kind: 'support-package',
      title: 'legacy',
      text: 'x',
      procedure: 'meeting',
      status: 'circulating',
      author: 'PL',
      createdBy: 'pl-analyst',
      createdAt: clock.iso(),
      membershipDate: clock.iso().slice(0, 10),
      members: membersOn(clock.iso().slice(0, 10)),
      silenceEndsAt: null,
      decidedAt: null,
      host: null,
      references: [],
      assessment: null,
      tlp: 'amber',
      audience: [],
      supersedes: null,
      supersededBy: null,
      version: 1,
      positions: {},
      ...over,
    };
    await new ProposalRepository(database.db).insert(database.db, p);
    return p;
  };

  it('a proposal every member must read: TLP:AMBER or wider, no audience, a silence of at least the minimum (400 naming the field)', async () => {
    for (const tlp of ['red', 'amber+strict'] as const) {
      await expect(
        c.council.create(pl, { ...silenceInput(clock), tlp } as unknown as CreateProposalInput),
      ).rejects.toMatchObject({ code: 'validation', field: 'tlp' });
    }
    await expect(c.council.create(pl, meetingInput({ audience: ['LT'] }))).rejects.toMatchObject({
      code: 'validation',
      field: 'audience',
    });
    await expect(c.council.create(pl, meetingInput({ audience: [] }))).rejects.toMatchObject({
      code: 'validation',
      field: 'audience',
    });
    await expect(c.council.create(pl, silenceInput(clock, { silenceEndsAt: clock.iso(59_999) }))).rejects.toMatchObject(
      { code: 'validation', field: 'silenceEndsAt' },
    );
    expect(await database.db.selectFrom('council_proposals').selectAll().execute()).toHaveLength(0);
    expect((await c.council.create(pl, silenceInput(clock, { tlp: 'clear' }))).tlp).toBe('clear');
    // A revision keeps the minimum even when the old period was shorter (stored before the rule).
    const short = await insertLegacy({ procedure: 'silence', silenceEndsAt: clock.iso(5_000) });
    expect(Date.parse((await c.council.revise(pl, short.id, { text: 'again' })).silenceEndsAt!) - clock.t).toBe(60_000);
    const red = await insertLegacy({ tlp: 'red' });
    await expect(c.council.revise(pl, red.id, { text: 'again' })).rejects.toMatchObject({ field: 'tlp' });
  });

  it('a decision nobody else could see is no mandate, judged on the stored row at check time', async () => {
    // Stored before the rule: a RED silence procedure adopted unseen, and one with a 5 s silence.
    const red = await insertLegacy({
      kind: 'deployment-mandate',
      host: 'UA',
      tlp: 'red',
      procedure: 'silence',
      silenceEndsAt: clock.iso(60_000),
    });
    const brief = await insertLegacy({
      kind: 'deployment-mandate',
      host: 'UA',
      procedure: 'silence',
      silenceEndsAt: clock.iso(5_000),
    });
    const open = await c.council.create(pl, silenceInput(clock, { kind: 'deployment-mandate', host: 'UA' }));
    clock.advance(60_000);
    expect(await c.council.settleDue()).toBe(3);
    const treaty = new TreatyService({
      geography: () => {
        throw new Error('unused');
      },
      mandates: (id, actor) => c.council.getForDeploymentCheck(actor, id),
    });
    const check = (id: string) =>
      treaty.checkDeployment(pl, {
        host: 'UA',
        date: '2025-09-10',
        purpose: 'crisis-response',
        formalRequest: true,
        councilDecision: id,
      });
    expect(await check(open.id)).toMatchObject({ permitted: true, missing: [] });
    const r = await check(red.id);
    expect(r).toMatchObject({ permitted: false, missing: ['council-decision'] });
    expect(r.reasons.find((x) => x.rule === 'council-decision')?.text).toMatch(
      /TLP:RED.*not every member could read it/,
    );
    expect((await check(brief.id)).reasons.find((x) => x.rule === 'council-decision')?.text).toMatch(
      /silence for 5 s, shorter than the minimum of 60 s/,
    );
    // The release is read from the store at check time: a row narrowed after its adoption stops counting.
    await database.db
      .updateTable('council_proposals')
      .set({ audience: encodeAudience(['LT']) })
      .where('id', '=', open.id)
      .execute();
    expect(await check(open.id)).toMatchObject({ permitted: false, missing: ['council-decision'] });
  });

  it('many proposals due at once settle in batches, one transaction each, with the event loop running between them', async () => {
    for (let i = 0; i < 250; i++) await insertLegacy({ procedure: 'silence', silenceEndsAt: clock.iso(60_000) });
    clock.advance(60_000);
    nudges = 0;
    let nudgesWhenOthersRan = -1;
    setImmediate(() => (nudgesWhenOthersRan = nudges));
    expect(await c.council.settleDue()).toBe(250);
    // One nudge per committed batch (100, 100, 50); another task ran after the first batch.
    expect(nudges).toBe(3);
    if (tdb.name === 'sqlite') expect(nudgesWhenOthersRan).toBe(1);
    const settles = await database.db
      .selectFrom('audit_log')
      .select(['subject'])
      .where('action', '=', 'settle')
      .execute();
    expect(new Set(settles.map((r) => r.subject)).size).toBe(250);
    expect(
      await database.db.selectFrom('council_proposals').select('id').where('status', '=', 'circulating').execute(),
    ).toEqual([]);
  });

  it('deployment mandates feed the treaty deployment check', async () => {
    const m = await c.council.create(pl, meetingInput({ kind: 'deployment-mandate', host: 'ee' }));
    expect(await c.council.getForDeploymentCheck(userOf('DE'), m.id)).toMatchObject({
      kind: 'deployment-mandate',
      status: 'circulating',
      host: 'EE',
      openToEveryMember: true,
      silenceSeconds: null,
    });
    expect(await c.council.getForDeploymentCheck(userOf('UA'), m.id)).toBeUndefined();
    expect(await c.council.getForDeploymentCheck(userOf('DE'), 'proposal--missing')).toBeUndefined();
    const a5 = await c.council.create(
      pl,
      meetingInput({
        kind: 'article-5-determination',
        assessment: { article5: 'council-decision', reasons: [{ rule: 'hybrid' }] },
      }),
    );
    expect((await c.council.get(pl, a5.id)).assessment).toEqual({
      article5: 'council-decision',
      reasons: [{ rule: 'hybrid' }],
    });
  });

  it('audit verify names the seq of a row altered with SQL', async () => {
    const p = await c.council.create(pl, silenceInput(clock));
    await c.council.takePosition(userOf('FR'), p.id, { position: 'concur' });
    await c.council.takePosition(userOf('DE'), p.id, { position: 'reservation', statement: 'original' });
    await c.council.takePosition(userOf('IT'), p.id, { position: 'concur' });
    expect(await c.audit.verify()).toMatchObject({ ok: true, entries: 4 });
    expect(await c.audit.verify(2)).toMatchObject({ ok: true, entries: 4 });
    await sql`update audit_log set data = replace(data, 'original', 'forged') where seq = 3`.execute(database.db);
    expect(await c.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 3, entries: 2 });
    await sql`delete from audit_log where seq = 3`.execute(database.db);
    expect(await c.audit.verify(2)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });
});
