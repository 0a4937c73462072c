import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { SecretBox } from '../../platform/secrets.ts';
import { systemActor, type UserActor } from '../../kernel/access/actor.ts';
import { PeerRepository } from './peer.repository.ts';
import { PeerService } from './peer.service.ts';

const KEY = 's'.repeat(64);
const TOKEN = 'bwk_this-is-the-peer-token-1234567890';
const user = (role: UserActor['role']): UserActor => ({
  kind: 'user',
  userId: 'u1',
  userName: 'ops',
  org: 'PL',
  orgKind: 'member',
  role,
});
const input = { name: 'lt-node', url: 'http://127.0.0.1:4701/taxii2/alliance', user: 'pl-puller', token: TOKEN };

describe.each(testDatabases)('peers on $name', (tdb) => {
  let database: Database;
  let repo: PeerRepository;
  let peers: PeerService;
  beforeEach(async () => {
    database = await tdb.open();
    repo = new PeerRepository(database.db);
    peers = new PeerService(repo, new SecretBox(KEY), systemClock);
  });
  afterEach(async () => database.close());

  it('an operator adds, lists and removes a peer; the token is sealed at rest and never presented', async () => {
    const added = await peers.add(user('operator'), { ...input, authors: ['lt', 'PL'] });
    expect(added).toMatchObject({
      name: 'lt-node',
      url: 'http://127.0.0.1:4701/taxii2/alliance/',
      authors: ['LT', 'PL'],
      state: 'idle',
      cursor: null,
      received: 0,
      refused: 0,
    });
    expect(JSON.stringify(added)).not.toContain(TOKEN);
    const listed = await peers.list(user('operator'));
    expect(listed).toEqual([added]);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
    const raw = await database.db.selectFrom('federation_peers').selectAll().execute();
    expect(JSON.stringify(raw)).not.toContain(TOKEN);
    expect(JSON.stringify(raw)).not.toContain('peer-token');
    const [opened] = await peers.withTokens();
    expect(opened!.token).toBe(TOKEN);
    await expect(new PeerService(repo, new SecretBox('t'.repeat(64)), systemClock).withTokens()).rejects.toThrow(
      /cannot be decrypted/,
    );
    await peers.remove(user('operator'), 'lt-node');
    expect(await peers.list(user('operator'))).toEqual([]);
    await expect(peers.remove(user('operator'), added.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('analysts and admins may not manage or see peers (403)', async () => {
    for (const role of ['analyst', 'admin'] as const) {
      await expect(peers.add(user(role), input)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(peers.list(user(role))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(peers.remove(user(role), 'x')).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect(await repo.list()).toEqual([]);
  });

  it('refuses plain http beyond loopback, bad authors, a duplicate name; nothing stored', async () => {
    const op = user('operator');
    await expect(peers.add(op, { ...input, url: 'http://lt.example/taxii2/alliance/' })).rejects.toMatchObject({
      field: 'url',
    });
    await expect(peers.add(op, { ...input, authors: [] })).rejects.toMatchObject({ field: 'authors' });
    await expect(peers.add(op, { ...input, authors: ['LTU'] })).rejects.toMatchObject({ field: 'authors' });
    await expect(peers.add(op, { ...input, ca: 'not a certificate' })).rejects.toMatchObject({ field: 'ca' });
    await expect(peers.add(op, { ...input, token: '  ' })).rejects.toMatchObject({ field: 'token' });
    expect(await repo.list()).toEqual([]);
    await peers.add(op, input);
    await expect(peers.add(systemActor('cli'), input)).rejects.toMatchObject({ code: 'conflict', field: 'name' });
  });

  it('state counters add up from several writers; the node id is made once', async () => {
    const p = await peers.add(user('operator'), input);
    await Promise.all([
      repo.saveState(database.db, p.id, { state: 'connected', cursor: '2026-01-01T00:00:00.000001Z' }, { received: 2 }),
      repo.saveState(database.db, p.id, {}, { received: 3, refused: 1 }),
    ]);
    const [s] = await peers.list(user('operator'));
    expect(s).toMatchObject({ state: 'connected', cursor: '2026-01-01T00:00:00.000001Z', received: 5, refused: 1 });
    const a = await repo.nodeId(() => 'node-a');
    expect(await repo.nodeId(() => 'node-b')).toBe(a);
    expect(a).toBe('node-a');
  });
});
