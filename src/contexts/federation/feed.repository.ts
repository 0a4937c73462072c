import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { DialectName } from '../../platform/db/dialect.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import type { FeedRow } from './feed.ts';

/**
 * The versions a peer's user is sent, in date_added order after `afterUs` (feed.ts says how each
 * travels). The releasability of every read path applies, narrowing included: a version goes when the
 * reader may read it and the current version of its id and author. A current version the reader may
 * not read goes as a notice when the reader could read an older one. A deleted version (object_deletions)
 * goes as a deletion to a reader who may read it under the release it had. Never sent: the store's own
 * objects, versions and deletions received from the requesting node (`node`), and versions this node
 * rebuilt from a notice (another node may hold the real one).
 */
export interface FeedQuery {
  afterUs: number;
  limit: number;
  /** The requesting node ('' when unnamed): what came from it is not sent back. */
  node: string;
  /** Only these ids / types (TAXII match[id], match[type]); none: any. */
  ids?: readonly string[];
  types?: readonly string[];
  /** Whether deletions are listed (objects and manifest: yes; a versions list: no). */
  deletions?: boolean;
  /** Select each version's presented version (modified, else created, else date_added) in `json`, not its JSON. */
  versionOnly?: boolean;
}

export async function feedPage(
  db: Kysely<Schema>,
  dialect: DialectName,
  reader: Reader,
  q: FeedQuery,
): Promise<FeedRow[]> {
  const rel = (t: string) => releasableTo(reader, t);
  const match = (t: string) =>
    sql.join(
      [
        ...(q.ids && q.ids.length > 0 ? [sql`${sql.ref(`${t}.id`)} in (${sql.join(q.ids)})`] : []),
        ...(q.types && q.types.length > 0 ? [sql`${sql.ref(`${t}.type`)} in (${sql.join(q.types)})`] : []),
        sql`1 = 1`,
      ],
      sql` and `,
    );
  // The presented version, taken out of the JSON by the database (a manifest never reads the objects in).
  const json = !q.versionOnly
    ? sql`o.json`
    : dialect === 'postgres'
      ? sql`coalesce(o.json::json->>'modified', o.json::json->>'created', o.date_added)`
      : sql`coalesce(json_extract(o.json, '$.modified'), json_extract(o.json, '$.created'), o.date_added)`;
  const rows = await sql<FeedRow>`
    select o.id, o.added_us, o.date_added, o.author, o.tlp, o.audience, ${json} as json,
      case when ${rel('o')} then 0 else 1 end as notice
    from objects o
    where o.added_us > ${q.afterUs} and o.author <> ${NO_AUTHOR} and ${match('o')}
      and not exists (select 1 from federation_received r
        where r.id = o.id and r.author = o.author and r.version = o.version and (r.node = ${q.node} or r.notice = 1))
      and coalesce((select g.to_us from federation_received_ranges g
        where g.node = ${q.node} and g.from_us <= o.added_us order by g.from_us desc limit 1), -1) < o.added_us
      and (
        (${rel('o')} and (o.is_latest = 1 or exists (select 1 from objects l
          where l.id = o.id and l.author = o.author and l.is_latest = 1 and ${rel('l')})))
        or (o.is_latest = 1 and not ${rel('o')} and exists (select 1 from objects p
          where p.id = o.id and p.author = o.author and p.added_us < o.added_us and ${rel('p')}))
      )
    order by o.added_us
    limit ${q.limit}`.execute(db);
  const all = rows.rows.map((r) => ({ ...r, added_us: Number(r.added_us), notice: Number(r.notice), deleted: 0 }));
  if (q.deletions === false) return all;
  const deleted = await sql<FeedRow>`
    select d.id, d.added_us, d.date_added, d.author, d.tlp, d.audience, d.json, 0 as notice, 1 as deleted
    from object_deletions d
    where d.added_us > ${q.afterUs} and d.author <> ${NO_AUTHOR} and ${match('d')}
      and ${q.node === '' ? sql`1 = 1` : sql`d.origin <> ${q.node}`} and ${rel('d')}
    order by d.added_us
    limit ${q.limit}`.execute(db);
  if (deleted.rows.length === 0) return all;
  // Both lists are in date_added order and each holds the first `limit` of its kind: the page is the first `limit` of both.
  for (const d of deleted.rows) all.push({ ...d, added_us: Number(d.added_us), notice: 0, deleted: 1 });
  return all.sort((x, y) => x.added_us - y.added_us).slice(0, q.limit);
}
