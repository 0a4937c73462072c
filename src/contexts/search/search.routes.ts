import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/app.ts';
import { NamesQuery, NamesResult, PivotQuery, PivotResult, SearchQuery, SearchResult } from './search.schema.ts';
import type { SearchService } from './search.service.ts';

/** GET /search (full text) and GET /search/pivot (every incident holding an observable). */
export function searchRoutes(search: SearchService): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/search',
      { schema: { tags: ['search'], querystring: SearchQuery, response: { 200: SearchResult } } },
      async (req) => search.search(actorOf(req), req.query.q, req.query.limit),
    );
    r.get(
      '/search/pivot',
      { schema: { tags: ['search'], querystring: PivotQuery, response: { 200: PivotResult } } },
      async (req) => search.pivot(actorOf(req), req.query),
    );
    r.get(
      '/names',
      { schema: { tags: ['search'], querystring: NamesQuery, response: { 200: NamesResult } } },
      async (req) => search.names(actorOf(req), req.query.ids),
    );
  };
}
