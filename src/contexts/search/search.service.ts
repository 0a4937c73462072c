import { validation } from '../../platform/errors.ts';
import { readerOf, type UserActor } from '../../kernel/access/actor.ts';
import { normaliseName, normaliseObservable, OBSERVABLE_TYPES } from '../intel/observable.ts';
import type { SearchRepository } from './search.repository.ts';
import type {
  NamesResultT,
  PivotQueryT,
  PivotResultT,
  SearchField,
  SearchHitT,
  SearchResultT,
} from './search.schema.ts';
import { excerpt, termsOf } from './search.ts';

const MATCHES_PER_HIT = 3;
const PIVOT_LIMIT = 500;

/** Server-side search over what the reader may read, and the pivot from an observable to its incidents. */
/** Reads one object as `actor` may (undefined when missing or hidden): the knowledge store's find. */
export type FindObject = (actor: UserActor, id: string) => Promise<{ object: Record<string, unknown> } | undefined>;

export class SearchService {
  constructor(
    private readonly repo: SearchRepository,
    private readonly find: FindObject,
  ) {}

  /** The names of objects the reader may read (a course of action named by a response, …); others are left out. */
  async names(actor: UserActor, ids: readonly string[]): Promise<NamesResultT> {
    const items: NamesResultT['items'] = [];
    for (const id of new Set(ids)) {
      const o = (await this.find(actor, id))?.object;
      if (!o) continue;
      const name = typeof o.name === 'string' ? o.name : typeof o.title === 'string' ? o.title : id;
      items.push({ id, type: typeof o.type === 'string' ? o.type : id.split('--')[0]!, name });
    }
    return { items };
  }

  async search(actor: UserActor, q: string, limit: number): Promise<SearchResultT> {
    const terms = termsOf(q);
    if (terms.length === 0) throw validation('q', 'must name something to search for');
    const rows = await this.repo.matches(readerOf(actor), terms, limit * 8);
    const hits = new Map<string, SearchHitT>();
    for (const r of rows) {
      let hit = hits.get(r.target_id);
      if (!hit) {
        if (hits.size >= limit) continue;
        hit = {
          kind: r.kind,
          id: r.target_id,
          title: r.title,
          category: r.category,
          occurredAt: r.occurred_at,
          matches: [],
        };
        hits.set(r.target_id, hit);
      }
      if (hit.matches.length < MATCHES_PER_HIT)
        hit.matches.push({ field: r.field as SearchField, text: excerpt(r.body, terms) });
    }
    return { q, items: [...hits.values()] };
  }

  async pivot(actor: UserActor, q: PivotQueryT): Promise<PivotResultT> {
    let norm: string;
    if (q.type === 'actor') norm = normaliseName(q.value);
    else {
      const type = OBSERVABLE_TYPES.find((t) => t === q.type && t !== 'narrative');
      if (!type)
        throw validation(
          'type',
          `must be one of ${OBSERVABLE_TYPES.filter((t) => t !== 'narrative').join(', ')}, actor`,
        );
      const n = normaliseObservable(type, q.value);
      if (!n.ok) throw validation('value', n.message);
      norm = n.value;
    }
    const rows = await this.repo.withValue(readerOf(actor), q.type, norm, PIVOT_LIMIT);
    return {
      type: q.type,
      value: q.value,
      items: rows.map((r) => ({
        id: r.id,
        title: r.title,
        category: r.category,
        occurredAt: r.occurred_at,
        author: r.author,
        members: r.members.split(',').filter(Boolean),
      })),
    };
  }
}
