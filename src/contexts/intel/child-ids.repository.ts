import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';

/**
 * The ids of the objects intel writes for an owner (an incident's location, actor and relationships;
 * a campaign's or a response's links), by a key saying what each stands for. A new key gets a random
 * id (UUID v4): ids derived from public inputs could be taken first by any member, whose object then
 * blocks the author's next version. Ids stored before the table existed were name-based; `legacy`
 * gives that id for a key the owner may have used then.
 */
export class ChildIds {
  private readonly known = new Map<string, Map<string, string>>();
  constructor(private readonly ex: Kysely<Schema> | Transaction<Schema>) {}

  /** An owner just created here (its id freshly random): it has no ids yet, so none is read. */
  created(owner: string): this {
    if (!this.known.has(owner)) this.known.set(owner, new Map());
    return this;
  }

  /** The id stored for the key (or its legacy id), undefined when there is none. */
  async find(owner: string, key: string, legacy?: string): Promise<string | undefined> {
    return (await this.of(owner)).get(key) ?? legacy;
  }

  /** The id of each key, making (and recording) a random one for a key met for the first time. */
  async ids(
    owner: string,
    keys: ReadonlyArray<{ key: string; type: string; legacy?: string | undefined }>,
  ): Promise<Map<string, string>> {
    const have = await this.of(owner);
    const added: Array<{ owner_id: string; child_key: string; object_id: string }> = [];
    for (const k of keys) {
      if (have.has(k.key)) continue;
      const id = k.legacy ?? `${k.type}--${randomUUID()}`;
      have.set(k.key, id);
      added.push({ owner_id: owner, child_key: k.key, object_id: id });
    }
    for (let i = 0; i < added.length; i += 300)
      await this.ex
        .insertInto('intel_child_ids')
        .values(added.slice(i, i + 300))
        .execute();
    return have;
  }

  private async of(owner: string): Promise<Map<string, string>> {
    let m = this.known.get(owner);
    if (!m) {
      const rows = await this.ex
        .selectFrom('intel_child_ids')
        .select(['child_key', 'object_id'])
        .where('owner_id', '=', owner)
        .execute();
      m = new Map(rows.map((r) => [r.child_key, r.object_id]));
      this.known.set(owner, m);
    }
    return m;
  }
}
