import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { readerOf, type UserActor } from '../../kernel/access/actor.ts';
import { feedPage } from './feed.repository.ts';
import { outbound } from './feed.ts';

/** A page of the federation collection: the envelope's text and what its headers say. */
export interface FeedPage {
  body: string;
  first: string | undefined;
  last: string | undefined;
}

/** Serves the federation collection (feed.ts, feed.repository.ts) to a peer's user. */
export class FeedService {
  constructor(
    private readonly db: Kysely<Schema>,
    /** This node's id, sent with every answer so that the peer can name this node when it pulls. */
    readonly nodeId: () => Promise<string>,
  ) {}

  async page(actor: UserActor, q: { afterUs: number; limit: number; requester: string }): Promise<FeedPage> {
    const rows = await feedPage(this.db, readerOf(actor), {
      afterUs: q.afterUs,
      limit: q.limit + 1,
      node: q.requester,
    });
    const page = rows.slice(0, q.limit);
    if (page.length === 0) return { body: '{"more":false}', first: undefined, last: undefined };
    const more = rows.length > q.limit;
    const last = page.at(-1)!;
    const head = `{"more":${more}${more ? `,"next":"${last.added_us}"` : ''},"objects":[`;
    return { body: `${head}${page.map(outbound).join(',')}]}`, first: page[0]!.date_added, last: last.date_added };
  }
}
