import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, validation } from '../../platform/errors.ts';
import { requireActor, Unauthenticated, type Authenticator } from '../../platform/http/authenticate.ts';
import { TAXII_MEDIA, acceptsTaxii, taxiiErrorOf } from '../taxii/taxii.ts';
import { parseFilters } from '../taxii/taxii.params.ts';
import { FEED_ALIAS, FEED_COLLECTION_ID, NODE_HEADER, feedCollection } from './feed.ts';
import type { FeedPage, FeedRequest, FeedService } from './feed.service.ts';
import { isIdentifier } from '../stix/stix.ts';

const AUTH = { allowBasic: true, realm: 'bulwark-taxii' };
const NODE_ID_MAX = 64;

/**
 * The federation collection of the TAXII API root (mounted at /taxii2/alliance/collections): the
 * collection resource, its objects, its manifest and the versions of an object, by id or alias, for any
 * signed-in user (each reads only what it may, as feed.repository.ts selects it). TAXII 2.1 paging
 * (`limit`, `added_after`, `next`, `more`, X-TAXII-Date-Added-First/Last), `match[id]` and `match[type]`.
 */
export function feedRoutes(feed: FeedService, auth: Authenticator): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler((err, _req, reply) => {
      const { status, body } = taxiiErrorOf(err);
      if (err instanceof Unauthenticated || status === 401)
        void reply.header('WWW-Authenticate', `Basic realm="${AUTH.realm}", Bearer realm="${AUTH.realm}"`);
      return reply
        .status(status)
        .header('content-type', TAXII_MEDIA)
        .send(Buffer.from(JSON.stringify(body)));
    });
    app.addHook('onRequest', async (req) => {
      if (!acceptsTaxii(req.headers.accept))
        throw new DomainError('not-acceptable', `Accept must allow ${TAXII_MEDIA}`);
      await requireActor(req, auth, AUTH);
    });
    for (const key of [FEED_COLLECTION_ID, FEED_ALIAS]) {
      app.get(`/${key}/`, async (_req, reply) =>
        reply.header('content-type', TAXII_MEDIA).send(Buffer.from(JSON.stringify(feedCollection()))),
      );
      app.get<{ Querystring: Record<string, unknown> }>(`/${key}/objects/`, async (req, reply) =>
        send(reply, await feed.page(req.actor!, request(req, ['id', 'type'])), await feed.nodeId()),
      );
      app.get<{ Querystring: Record<string, unknown> }>(`/${key}/manifest/`, async (req, reply) =>
        send(reply, await feed.manifest(req.actor!, request(req, ['id', 'type'])), await feed.nodeId()),
      );
      app.get<{ Params: { objectId: string }; Querystring: Record<string, unknown> }>(
        `/${key}/objects/:objectId/versions/`,
        async (req, reply) => {
          const id = req.params.objectId;
          if (!isIdentifier(id)) throw validation('objectId', `"${String(id).slice(0, 60)}" is not a STIX id`);
          const page = await feed.versions(req.actor!, id, request(req, []));
          if (page.first === undefined && req.query.next === undefined)
            throw new DomainError('not-found', `object ${id} not found`);
          return send(reply, page, await feed.nodeId());
        },
      );
    }
  };
}

/** A page's TAXII parameters (`match[...]` only as `allowed`; any other is a 400 naming it). */
function request(
  req: FastifyRequest<{ Querystring: Record<string, unknown> }>,
  allowed: ReadonlyArray<'id' | 'type'>,
): FeedRequest {
  const f = parseFilters(req.query, allowed);
  return { afterUs: f.addedAfterUs ?? 0, limit: f.limit, ids: f.ids, types: f.types, requester: requester(req) };
}

function send(reply: FastifyReply, page: FeedPage, node: string): FastifyReply {
  if (page.first !== undefined && page.last !== undefined)
    void reply.header('X-TAXII-Date-Added-First', page.first).header('X-TAXII-Date-Added-Last', page.last);
  return reply.header(NODE_HEADER, node).header('content-type', TAXII_MEDIA).send(Buffer.from(page.body));
}

/** The requesting node's id (header X-Bulwark-Node), '' when absent or malformed. */
function requester(req: FastifyRequest): string {
  const v = req.headers[NODE_HEADER];
  return typeof v === 'string' && v.length <= NODE_ID_MAX && /^[0-9a-f-]+$/.test(v) ? v : '';
}
