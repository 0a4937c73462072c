import { sql, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import type { IngestInput, IngestRequest, KnowledgeService } from './knowledge.service.ts';
import type { IngestReport } from './knowledge.ts';

/** Transactions in which a context writes versions of the types it owns. */
const ownerWrites = new WeakSet<object>();

/**
 * Types whose stored objects one context writes through its own API and keeps in its own tables (outlook,
 * registers, open sources): a new version of such an object (or the deletion of some of its versions) from
 * anywhere but that context's writer (TAXII, import, federation) is refused with 409, since the context's
 * tables, and so REST, briefings and summaries, would not follow it (issue 12: an author narrowing its
 * scenario set over TAXII left REST showing it to everyone). Ids the context does not hold (objects that
 * arrived from peers) are taken as before. `held` answers which of `ids` the context's tables hold.
 */
export function ownTypes(
  knowledge: KnowledgeService,
  o: {
    types: readonly string[];
    api: string;
    held(trx: Transaction<Schema>, ids: readonly string[]): Promise<ReadonlySet<string>>;
  },
): void {
  knowledge.onLatest({
    types: o.types,
    within: async (trx, changes) => {
      if (ownerWrites.has(trx)) return;
      const ids = [...new Set(changes.filter((c) => c.latest !== undefined).map((c) => c.id))];
      if (ids.length === 0) return;
      const held = await o.held(trx, ids);
      const first = ids.find((id) => held.has(id));
      if (first !== undefined)
        throw new DomainError(
          'conflict',
          `${first} is changed only through ${o.api}; TAXII and import serve it but take no new version of it`,
        );
    },
  });
}

/** ingestWithin for the context that owns the types it writes (see ownTypes). */
export async function ingestOwned(
  knowledge: KnowledgeService,
  trx: Transaction<Schema>,
  actor: Actor,
  items: IngestInput,
  req: IngestRequest = {},
): Promise<IngestReport> {
  ownerWrites.add(trx);
  try {
    return await knowledge.ingestWithin(trx, actor, items, req);
  } finally {
    ownerWrites.delete(trx);
  }
}

/** `held` for ownTypes: which of `ids` the `id` column of any of `tables` holds. */
export function heldIn(tables: readonly string[]) {
  return async (trx: Transaction<Schema>, ids: readonly string[]): Promise<ReadonlySet<string>> => {
    const out = new Set<string>();
    for (const t of tables)
      for (let i = 0; i < ids.length; i += 500) {
        const r = await sql<{
          id: string;
        }>`select id from ${sql.table(t)} where id in (${sql.join(ids.slice(i, i + 500))})`.execute(trx);
        for (const row of r.rows) out.add(row.id);
      }
    return out;
  };
}
