import { sql } from 'kysely';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import type { Exec } from './sources.tables.ts';

/** Queries of the open-sources tables. No business rules: the services decide, this stores and reads. */

export interface PairRow {
  entity_id: string;
  fold: string;
  text: string;
  doc_id: string;
}

/** Mentions of the given entities in documents the reader may read (one row per entity, alias form, document). */
export async function readablePairs(x: Exec, reader: Reader, entityIds: readonly string[]): Promise<PairRow[]> {
  if (entityIds.length === 0) return [];
  return x
    .selectFrom('sources_mentions as m')
    .innerJoin('sources_documents as d', 'd.id', 'm.doc_id')
    .select(['m.entity_id', 'm.fold', 'm.text', 'm.doc_id'])
    .distinct()
    .where('m.entity_id', 'in', [...entityIds])
    .where(releasableTo(reader, 'd'))
    .execute();
}

/** Most distinct aliases one search looks at. */
export const MAX_FOLDS = 2000;

/** Entity ids and folds whose folded alias contains `q` (a folded string), in readable documents. */
export async function searchPairs(
  x: Exec,
  reader: Reader,
  q: string,
  limit: number,
): Promise<Array<{ entity_id: string; fold: string }>> {
  const base = x
    .selectFrom('sources_mentions as m')
    .innerJoin('sources_documents as d', 'd.id', 'm.doc_id')
    .select(['m.entity_id', 'm.fold'])
    .distinct()
    .where(releasableTo(reader, 'd'));
  const scoped =
    q === ''
      ? base
      : base.where('m.fold', 'in', (s) =>
          s
            .selectFrom('sources_suffixes')
            .select('fold')
            .where('suffix', '>=', q)
            .where('suffix', '<', `${q}\u007f`)
            // A very common substring matches many aliases: the first MAX_FOLDS of them bound the work.
            .limit(MAX_FOLDS),
        );
  // No ORDER BY: the first `limit` matches end the scan (the caller orders what it shows).
  return scoped.limit(limit).execute();
}

/** Every suffix of a fold, for substring search by range scans (folds are short: at most 200 characters). */
export function suffixesOf(fold: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < fold.length; i++) if (fold[i] !== ' ') out.add(fold.slice(i));
  return [...out];
}

export async function addSuffixes(x: Exec, folds: readonly string[]): Promise<void> {
  const rows = [...new Set(folds)].flatMap((fold) => suffixesOf(fold).map((suffix) => ({ suffix, fold })));
  for (let i = 0; i < rows.length; i += 500)
    await x
      .insertInto('sources_suffixes')
      .values(rows.slice(i, i + 500))
      .onConflict((c) => c.columns(['suffix', 'fold']).doNothing())
      .execute();
}

/** Removes what nothing supports any more after documents went: entities without mentions, their keys, orphan folds. */
export async function sweep(x: Exec, entityIds: readonly string[], folds: readonly string[]): Promise<void> {
  if (entityIds.length > 0) {
    const alive = new Set(
      (
        await x
          .selectFrom('sources_mentions')
          .select('entity_id')
          .distinct()
          .where('entity_id', 'in', [...entityIds])
          .execute()
      ).map((r) => r.entity_id),
    );
    const dead = entityIds.filter((e) => !alive.has(e));
    if (dead.length > 0) {
      await x.deleteFrom('sources_entity_keys').where('entity_id', 'in', dead).execute();
      await x.deleteFrom('sources_entities').where('id', 'in', dead).execute();
      await x.deleteFrom('sources_links').where('other_id', 'in', dead).execute();
    }
    // Keys of surviving entities are rebuilt by the caller from their remaining folds.
  }
  if (folds.length > 0) {
    const used = new Set(
      (
        await x
          .selectFrom('sources_mentions')
          .select('fold')
          .distinct()
          .where('fold', 'in', [...folds])
          .execute()
      ).map((r) => r.fold),
    );
    const gone = folds.filter((f) => !used.has(f));
    if (gone.length > 0) await x.deleteFrom('sources_suffixes').where('fold', 'in', gone).execute();
  }
}

/** Resolution candidates sharing any key (bounded). */
export async function candidatesByKeys(x: Exec, keys: readonly string[], limit = 50): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await x
    .selectFrom('sources_entity_keys')
    .select('entity_id')
    .distinct()
    .where('key', 'in', [...keys])
    .limit(limit)
    .execute();
  return rows.map((r) => r.entity_id);
}

/** Stored profiles of entities (every document: resolution spans all of them; readers never see this). */
export async function profiles(
  x: Exec,
  ids: readonly string[],
): Promise<Map<string, { kind: string; key: string | null; folds: string[]; roles: string[]; orgs: string[] }>> {
  const out = new Map<string, { kind: string; key: string | null; folds: string[]; roles: string[]; orgs: string[] }>();
  if (ids.length === 0) return out;
  const ents = await x
    .selectFrom('sources_entities')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  for (const e of ents) out.set(e.id, { kind: e.kind, key: e.gazetteer_key, folds: [], roles: [], orgs: [] });
  const folds = await x
    .selectFrom('sources_mentions')
    .select(['entity_id', 'fold'])
    .distinct()
    .where('entity_id', 'in', [...ids])
    .execute();
  for (const f of folds) out.get(f.entity_id)?.folds.push(f.fold);
  const ctx = await x
    .selectFrom('sources_entity_context')
    .selectAll()
    .where('entity_id', 'in', [...ids])
    .execute();
  for (const c of ctx) {
    const p = out.get(c.entity_id);
    if (!p) continue;
    for (const r of JSON.parse(c.roles) as string[]) if (!p.roles.includes(r)) p.roles.push(r);
    for (const o of JSON.parse(c.orgs) as string[]) if (!p.orgs.includes(o)) p.orgs.push(o);
  }
  return out;
}

export async function nextEditSeq(x: Exec, org: string): Promise<number> {
  const r = await x
    .selectFrom('sources_edits')
    .select(sql<number>`coalesce(max(seq), 0)`.as('m'))
    .where('org', '=', org)
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}
