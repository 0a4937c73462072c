import { sql, type Kysely, type Selectable } from 'kysely';
import type { FederationPeersTable, Schema } from '../../platform/db/schema.ts';
import type { DialectName } from '../../platform/db/dialect.ts';
import { INITIAL_STATE, type Peer, type PeerState } from './peer.ts';

export type PeerRow = Selectable<FederationPeersTable>;

/** A peer with its sealed token (opened only by the service, for the runner). */
export interface StoredPeer {
  peer: Peer;
  sealedToken: string;
  state: PeerState;
}

const NODE_KEY = 'federation.node';

/** Peers and what was received from them (tables of migration 080). */
export class PeerRepository {
  constructor(
    readonly db: Kysely<Schema>,
    private readonly dialect: DialectName = 'sqlite',
  ) {}

  async insert(p: Peer, sealedToken: string): Promise<void> {
    const s = INITIAL_STATE;
    await this.db
      .insertInto('federation_peers')
      .values({
        id: p.id,
        name: p.name,
        url: p.url,
        user_name: p.user,
        token: sealedToken,
        authors: p.authors === null ? null : p.authors.join(','),
        ca: p.ca,
        created_at: p.createdAt,
        remote_node: s.remoteNode,
        state: s.state,
        cursor: s.cursor,
        lag_ms: s.lagMs,
        received: 0,
        refused: 0,
        duplicates: 0,
        errors: 0,
        last_error: null,
        last_error_at: null,
        last_pull_at: null,
        caught_up_at: null,
      })
      .execute();
  }

  async byName(name: string): Promise<StoredPeer | undefined> {
    const r = await this.db.selectFrom('federation_peers').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toStored(r);
  }

  async get(id: string): Promise<StoredPeer | undefined> {
    const r = await this.db.selectFrom('federation_peers').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toStored(r);
  }

  async list(): Promise<StoredPeer[]> {
    const rows = await this.db.selectFrom('federation_peers').selectAll().orderBy('name').execute();
    return rows.map(toStored);
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('federation_peers').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Writes the runtime state; counters are added (`delta`), so that two writers never lose each other's counts. */
  async saveState(
    executor: Kysely<Schema>,
    id: string,
    s: Partial<Omit<PeerState, 'received' | 'refused' | 'duplicates' | 'errors'>>,
    delta: { received?: number; refused?: number; duplicates?: number; errors?: number } = {},
  ): Promise<void> {
    await executor
      .updateTable('federation_peers')
      .set((eb) => ({
        ...(s.state !== undefined ? { state: s.state } : {}),
        ...(s.remoteNode !== undefined ? { remote_node: s.remoteNode } : {}),
        ...(s.cursor !== undefined ? { cursor: s.cursor } : {}),
        ...(s.lagMs !== undefined ? { lag_ms: s.lagMs } : {}),
        ...(s.lastError !== undefined ? { last_error: s.lastError } : {}),
        ...(s.lastErrorAt !== undefined ? { last_error_at: s.lastErrorAt } : {}),
        ...(s.lastPullAt !== undefined ? { last_pull_at: s.lastPullAt } : {}),
        ...(s.caughtUpAt !== undefined ? { caught_up_at: s.caughtUpAt } : {}),
        received: eb('received', '+', delta.received ?? 0),
        refused: eb('refused', '+', delta.refused ?? 0),
        duplicates: eb('duplicates', '+', delta.duplicates ?? 0),
        errors: eb('errors', '+', delta.errors ?? 0),
      }))
      .where('id', '=', id)
      .execute();
  }

  /** Records versions received from a peer's node (idempotent). */
  async recordReceived(
    executor: Kysely<Schema>,
    node: string,
    rows: ReadonlyArray<{ id: string; author: string; version: string }>,
    notice: boolean,
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      await executor
        .insertInto('federation_received')
        .values(rows.slice(i, i + 1000).map((r) => ({ ...r, node, notice: notice ? 1 : 0 })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  /**
   * Records that the versions one storing of a page wrote, from `first` to `last` (in the order they were
   * written), came from `node`: they lie at consecutive date_added values (the store's write lock is held),
   * so one range row stands for them all (migration 103).
   */
  async recordRange(
    trx: Kysely<Schema>,
    node: string,
    first: { id: string; author: string; version: string },
    last: { id: string; author: string; version: string },
  ): Promise<void> {
    const at = async (k: typeof first) => {
      const r = await trx
        .selectFrom('objects')
        .select('added_us')
        .where('id', '=', k.id)
        .where('author', '=', k.author)
        .where('version', '=', k.version)
        .executeTakeFirstOrThrow();
      return Number(r.added_us);
    };
    await trx
      .insertInto('federation_received_ranges')
      .values({ node, from_us: await at(first), to_us: await at(last) })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** `id|author|version` of the versions of `ids` deleted from this store (migration 102); one statement. */
  async deletedKeys(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const within =
      this.dialect === 'postgres'
        ? sql`d.id = any(${ids}::text[])`
        : sql`d.id in (select value from json_each(${JSON.stringify(ids)}))`;
    const r = await sql<{ k: string }>`select d.id || '|' || d.author || '|' || d.version as k
      from object_deletions d where ${within}`.execute(this.db);
    return r.rows.map((x) => x.k);
  }

  /** `id|version` of the versions of `author` under `ids` that this node rebuilt from a narrowing notice. */
  async noticeKeys(executor: Kysely<Schema>, author: string, ids: readonly string[]): Promise<Set<string>> {
    const rows = await executor
      .selectFrom('federation_received')
      .select(['id', 'version'])
      .where('author', '=', author)
      .where('notice', '=', 1)
      .where('id', 'in', ids as string[])
      .execute();
    return new Set(rows.map((r) => `${r.id}|${r.version}`));
  }

  /** This node's id (the same for every instance of one store), made on first use. */
  async nodeId(make: () => string): Promise<string> {
    const found = await this.db.selectFrom('kv').select('value').where('key', '=', NODE_KEY).executeTakeFirst();
    if (found) return found.value;
    await this.db
      .insertInto('kv')
      .values({ key: NODE_KEY, value: make() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const r = await this.db.selectFrom('kv').select('value').where('key', '=', NODE_KEY).executeTakeFirstOrThrow();
    return r.value;
  }
}

function toStored(r: PeerRow): StoredPeer {
  return {
    peer: {
      id: r.id,
      name: r.name,
      url: r.url,
      user: r.user_name,
      authors: r.authors === null ? null : r.authors.split(','),
      ca: r.ca,
      createdAt: r.created_at,
    },
    sealedToken: r.token,
    state: {
      state: r.state as PeerState['state'],
      remoteNode: r.remote_node,
      cursor: r.cursor,
      lagMs: r.lag_ms === null ? null : Number(r.lag_ms),
      received: Number(r.received),
      refused: Number(r.refused),
      duplicates: Number(r.duplicates),
      errors: Number(r.errors),
      lastError: r.last_error,
      lastErrorAt: r.last_error_at,
      lastPullAt: r.last_pull_at,
      caughtUpAt: r.caught_up_at,
    },
  };
}
