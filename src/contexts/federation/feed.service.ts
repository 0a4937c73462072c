import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { DialectName } from '../../platform/db/dialect.ts';
import { readerOf, type UserActor } from '../../kernel/access/actor.ts';
import { STIX_MEDIA } from '../taxii/taxii.ts';
import { feedPage, type FeedQuery } from './feed.repository.ts';
import { outbound, type FeedRow } from './feed.ts';

/** A page of the federation collection: the envelope's text and what its headers say. */
export interface FeedPage {
  body: string;
  first: string | undefined;
  last: string | undefined;
}

/** What a page of the collection is asked for with (TAXII `added_after`/`next`, `limit`, `match[id]`, `match[type]`). */
export type FeedRequest = Pick<FeedQuery, 'afterUs' | 'limit' | 'ids' | 'types'> & { requester: string };

/**
 * Serves the federation collection (feed.ts, feed.repository.ts) to a peer's user: its objects, its
 * manifest (an entry for each element the objects endpoint sends, in the same order and pages) and the
 * versions of one object, each under the same releasability and echo suppression.
 */
export class FeedService {
  constructor(
    private readonly db: Kysely<Schema>,
    /** This node's id, sent with every answer so that the peer can name this node when it pulls. */
    readonly nodeId: () => Promise<string>,
    private readonly dialect: DialectName = 'sqlite',
  ) {}

  async page(actor: UserActor, q: FeedRequest): Promise<FeedPage> {
    return this.envelope(actor, q, 'objects', {}, outbound);
  }

  /** The manifest: id, date_added, version and media type of each element the objects endpoint sends. */
  async manifest(actor: UserActor, q: FeedRequest): Promise<FeedPage> {
    return this.envelope(actor, q, 'objects', { versionOnly: true }, (r) =>
      JSON.stringify({ id: r.id, date_added: r.date_added, version: versionOf(r), media_type: STIX_MEDIA }),
    );
  }

  /** The versions of one object that the objects endpoint sends (deletions aside); none: undefined (404). */
  async versions(actor: UserActor, id: string, q: Omit<FeedRequest, 'ids' | 'types'>): Promise<FeedPage> {
    return this.envelope(actor, { ...q, ids: [id] }, 'versions', { versionOnly: true, deletions: false }, (r) =>
      JSON.stringify(versionOf(r)),
    );
  }

  private async envelope(
    actor: UserActor,
    q: FeedRequest,
    key: 'objects' | 'versions',
    mode: Pick<FeedQuery, 'versionOnly' | 'deletions'>,
    present: (r: FeedRow) => string,
  ): Promise<FeedPage> {
    const rows = await feedPage(this.db, this.dialect, readerOf(actor), {
      afterUs: q.afterUs,
      limit: q.limit + 1,
      node: q.requester,
      ...(q.ids ? { ids: q.ids } : {}),
      ...(q.types ? { types: q.types } : {}),
      ...mode,
    });
    const page = rows.slice(0, q.limit);
    if (page.length === 0) return { body: '{"more":false}', first: undefined, last: undefined };
    const more = rows.length > q.limit;
    const last = page.at(-1)!;
    const head = `{"more":${more}${more ? `,"next":"${last.added_us}"` : ''},"${key}":[`;
    return { body: `${head}${page.map(present).join(',')}]}`, first: page[0]!.date_added, last: last.date_added };
  }
}

/** A row's presented version: selected by the database, or (a deletion) read from what names the version. */
function versionOf(r: FeedRow): string {
  if (r.deleted !== 1) return r.json;
  const named = JSON.parse(r.json) as { modified?: unknown; created?: unknown };
  return typeof named.modified === 'string'
    ? named.modified
    : typeof named.created === 'string'
      ? named.created
      : r.date_added;
}
