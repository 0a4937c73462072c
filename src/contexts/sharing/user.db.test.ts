import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { OrganisationRepository } from './organisation.repository.ts';
import { UserRepository } from './user.repository.ts';
import { UserService, hashToken } from './user.service.ts';

describe.each(testDatabases)('users and tokens on $name', (tdb) => {
  let database: Database;
  let service: UserService;
  let orgs: OrganisationRepository;
  beforeEach(async () => {
    database = await tdb.open();
    orgs = new OrganisationRepository(database.db);
    await orgs.seed();
    service = new UserService(new UserRepository(database.db), orgs, systemClock);
  });
  afterEach(async () => database.close());

  it('seeds 32 members and at least UA as a partner, idempotently', async () => {
    expect(await orgs.seed()).toBe(0);
    const list = await orgs.list();
    expect(list.filter((o) => o.kind === 'member')).toHaveLength(32);
    expect(list.find((o) => o.code === 'UA')?.kind).toBe('partner');
    expect(list.find((o) => o.code === 'FI')?.joined).toBe('2023-04-04');
  });

  it('creates a user whose token authenticates and is stored only as a hash', async () => {
    const { user, token } = await service.create({ member: 'pl', name: 'anna', role: 'admin' });
    expect(user.org).toBe('PL');
    const actor = await service.authenticate(token);
    expect(actor).toMatchObject({ userName: 'anna', org: 'PL', orgKind: 'member', role: 'admin' });
    const rows = await database.db.selectFrom('tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('rejects unknown organisations, duplicate names and wrong tokens', async () => {
    await expect(service.create({ member: 'XX', name: 'x' })).rejects.toThrow(/member/);
    await service.create({ member: 'UA', name: 'olena' });
    await expect(service.create({ member: 'UA', name: 'olena' })).rejects.toThrow(/already exists/);
    expect(await service.authenticate('bwk_' + 'a'.repeat(43))).toBeUndefined();
    expect(await service.authenticate('nonsense')).toBeUndefined();
  });

  it('revoked and expired tokens stop working', async () => {
    const admin = await service.create({ member: 'EE', name: 'kadri', role: 'admin' });
    const other = await service.create({ member: 'EE', name: 'mart' });
    const adminActor = (await service.authenticate(admin.token))!;
    await service.revokeTokens(adminActor, other.user.id);
    expect(await service.authenticate(other.token)).toBeUndefined();
    const old = await service.create({ member: 'EE', name: 'old', expiresAt: '2000-01-01T00:00:00Z' });
    expect(await service.authenticate(old.token)).toBeUndefined();
  });

  it('an admin cannot manage users of another organisation', async () => {
    const admin = await service.create({ member: 'LV', name: 'ilze', role: 'admin' });
    const foreign = await service.create({ member: 'LT', name: 'jonas' });
    const a = (await service.authenticate(admin.token))!;
    await expect(service.revokeTokens(a, foreign.user.id)).rejects.toThrow(/not found/);
    expect(await service.authenticate(foreign.token)).toBeDefined();
  });

  it('stores and reads the operator role; an admin neither makes operators nor issues their tokens', async () => {
    const op = await service.create({ member: 'NO', name: 'ops', role: 'operator' });
    expect(await service.authenticate(op.token)).toMatchObject({ role: 'operator', org: 'NO' });
    expect((await service.authenticate(op.token))!.role).toBe('operator');
    const admin = await service.create({ member: 'NO', name: 'nora', role: 'admin' });
    const a = (await service.authenticate(admin.token))!;
    await expect(service.createForAdmin(a, 'sneaky', 'operator')).rejects.toMatchObject({
      code: 'forbidden',
      field: 'role',
    });
    await expect(service.issueToken(a, op.user.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await service.listForAdmin(a)).map((u) => [u.name, u.role])).toEqual([
      ['nora', 'admin'],
      ['ops', 'operator'],
    ]);
    // An operator is not an admin of users.
    const o = (await service.authenticate(op.token))!;
    await expect(service.listForAdmin(o)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service.createForAdmin(o, 'x', 'analyst')).rejects.toMatchObject({ code: 'forbidden' });
    // An admin may still revoke an operator of its organisation (a stolen operator token is ended at once).
    await service.revokeTokens(a, op.user.id);
    expect(await service.authenticate(op.token)).toBeUndefined();
  });
});
