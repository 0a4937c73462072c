import type { AddressInfo } from 'node:net';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/errors.ts';
import { presentedError } from '../../platform/http/errors.ts';
import { optionalActor, Unauthenticated, type Authenticator } from '../../platform/http/authenticate.ts';
import type { Actor, UserActor } from '../../kernel/access/actor.ts';
import {
  API_ROOT,
  COLLECTIONS,
  STIX_MEDIA,
  TAXII_MEDIA,
  acceptsTaxii,
  isTaxiiContentType,
  presentCollection,
  presentCollections,
  taxiiErrorOf,
} from './taxii.ts';
import { parseFilters } from './taxii.params.ts';
import type { TaxiiService, Page } from './taxii.service.ts';
import type { Framed } from '../../platform/db/framed.ts';
import type { StatusRecord } from './status.repository.ts';

const AUTH = { allowBasic: true, realm: 'bulwark-taxii' };
type Params = { id: string; objectId: string; statusId: string };

/** Where clients reach the server: BULWARK_PUBLIC_URL, else the address it listens on (config.host and port before it listens). */
export interface TaxiiAddress {
  publicUrl: string | undefined;
  host: string;
  port: number;
}

export function taxiiRoutes(
  taxii: TaxiiService,
  auth: Authenticator,
  maxContentLength: number,
  address: TaxiiAddress,
  /** Collections served by other contexts (federation), listed for the actor beside these. */
  moreCollections: (actor: Actor | null) => Record<string, unknown>[] = () => [],
): FastifyPluginAsync {
  return async (app) => {
    // The body stays bytes here: it is parsed and validated on the preparing thread (TaxiiService.add),
    // so that a large envelope never blocks this thread.
    app.addContentTypeParser(
      'application/taxii+json',
      { parseAs: 'buffer', bodyLimit: maxContentLength },
      (_req, body, done) => done(null, body),
    );
    app.setErrorHandler((err, _req, reply) => {
      const { status, body } = taxiiErrorOf(presentedError(err, reply));
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
      await optionalActor(req, auth, AUTH);
    });
    const actor = (req: FastifyRequest): Actor | null => req.actor;
    const user = (req: FastifyRequest): UserActor => {
      if (!req.actor) throw new Unauthenticated('credentials are required to write', '');
      return req.actor;
    };
    const send = (reply: FastifyReply, body: unknown, status = 200) =>
      reply
        .status(status)
        .header('content-type', TAXII_MEDIA)
        .send(Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
    const base = `/${API_ROOT}`;

    // Never the request's Host header: a client could make the server hand other clients an API root
    // on a host of its choosing (cached discovery documents, links followed by tools).
    app.get('/', async (req, reply) => {
      const root = `${serverUrl(address, req.server.server.address())}/taxii2${base}/`;
      return send(reply, {
        title: 'Bulwark TAXII 2.1 server',
        description: 'Hybrid-threat intelligence shared under TLP 2.0 releasability rules.',
        default: root,
        api_roots: [root],
      });
    });
    app.get(`${base}/`, async (_req, reply) =>
      send(reply, {
        title: 'Alliance',
        description:
          'The alliance API root: one collection per organisation, an alliance-wide and a public collection.',
        versions: [TAXII_MEDIA],
        max_content_length: maxContentLength,
      }),
    );
    app.get<{ Params: Params }>(`${base}/status/:statusId/`, async (req, reply) =>
      send(reply, presentStatus(await taxii.status(user(req), req.params.statusId))),
    );
    app.get(`${base}/collections/`, async (req, reply) => {
      const listed = presentCollections(COLLECTIONS, actor(req)) as { collections?: unknown[] };
      const more = moreCollections(actor(req));
      return send(reply, more.length > 0 ? { collections: [...(listed.collections ?? []), ...more] } : listed);
    });
    app.get<{ Params: Params }>(`${base}/collections/:id/`, async (req, reply) =>
      send(reply, presentCollection(taxii.readable(req.params.id, actor(req)), actor(req))),
    );
    app.get<{ Params: Params; Querystring: Record<string, unknown> }>(
      `${base}/collections/:id/manifest/`,
      async (req, reply) => {
        const c = taxii.readable(req.params.id, actor(req));
        const page = await taxii.page(
          c,
          actor(req),
          parseFilters(req.query, ['id', 'type', 'version', 'spec_version']),
        );
        const objects = page.rows.map((r) => ({
          id: r.id,
          date_added: r.date_added,
          version: r.version,
          media_type: STIX_MEDIA,
        }));
        return send(
          withDateHeaders(reply, page.rows[0]?.date_added, page.rows.at(-1)?.date_added),
          envelope({ ...page, count: page.rows.length }, 'objects', objects.map((o) => JSON.stringify(o)).join(',')),
        );
      },
    );
    app.get<{ Params: Params; Querystring: Record<string, unknown> }>(
      `${base}/collections/:id/objects/`,
      async (req, reply) => {
        const c = taxii.readable(req.params.id, actor(req));
        const page = await taxii.objects(
          c,
          actor(req),
          parseFilters(req.query, ['id', 'type', 'version', 'spec_version']),
        );
        return send(
          withDateHeaders(recycleAfter(reply, page.json), page.firstAdded, page.lastAdded),
          envelope(page, 'objects', page.json),
        );
      },
    );
    app.post<{ Params: Params }>(`${base}/collections/:id/objects/`, async (req, reply) => {
      const c = taxii.readable(req.params.id, actor(req));
      if (!isTaxiiContentType(req.headers['content-type']))
        throw new DomainError('unsupported-media-type', `Content-Type must be ${TAXII_MEDIA}`);
      if (!Buffer.isBuffer(req.body) || req.body.byteLength === 0)
        throw new DomainError('validation', 'body: must be a TAXII envelope {"objects": [...]}', 'body');
      const status = await taxii.add(c, user(req), req.body);
      return send(reply, presentStatus(status), 202);
    });
    app.get<{ Params: Params; Querystring: Record<string, unknown> }>(
      `${base}/collections/:id/objects/:objectId/`,
      async (req, reply) => {
        const c = taxii.readable(req.params.id, actor(req));
        const page = await taxii.objects(c, actor(req), parseFilters(req.query, ['version', 'spec_version']), [
          req.params.objectId,
        ]);
        if (page.count === 0 && !req.query.next)
          throw new DomainError('not-found', `object ${req.params.objectId.slice(0, 300)} not found`);
        return send(
          withDateHeaders(recycleAfter(reply, page.json), page.firstAdded, page.lastAdded),
          envelope(page, 'objects', page.json),
        );
      },
    );
    app.delete<{ Params: Params; Querystring: Record<string, unknown> }>(
      `${base}/collections/:id/objects/:objectId/`,
      async (req, reply) => {
        const c = taxii.readable(req.params.id, actor(req));
        await taxii.remove(c, user(req), req.params.objectId, parseFilters(req.query, ['version', 'spec_version']));
        return send(reply, {});
      },
    );
    app.get<{ Params: Params; Querystring: Record<string, unknown> }>(
      `${base}/collections/:id/objects/:objectId/versions/`,
      async (req, reply) => {
        const c = taxii.readable(req.params.id, actor(req));
        const f = parseFilters(req.query, ['spec_version'], 'all');
        const page = await taxii.page(c, actor(req), f, [req.params.objectId]);
        if (page.rows.length === 0 && !req.query.next)
          throw new DomainError('not-found', `object ${req.params.objectId.slice(0, 300)} not found`);
        const versions = page.rows.map((r) => JSON.stringify(r.version));
        return send(
          withDateHeaders(reply, page.rows[0]?.date_added, page.rows.at(-1)?.date_added),
          envelope({ ...page, count: page.rows.length }, 'versions', versions.join(',')),
        );
      },
    );
    // Unknown API roots and paths under /taxii2 answer a TAXII error message too (4.2: 404). A
    // catch-all route, because the not-found handler belongs to the enclosing /taxii2 scope.
    app.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/*',
      handler: async (req) => {
        throw new DomainError(
          'not-found',
          `no TAXII resource at ${req.method} ${(req.url.split('?')[0] ?? '').slice(0, 300)}`,
        );
      },
    });
  };
}

function serverUrl(a: TaxiiAddress, listening: AddressInfo | string | null): string {
  if (a.publicUrl) return a.publicUrl;
  const host = typeof listening === 'object' && listening ? listening.address : a.host;
  const port = typeof listening === 'object' && listening ? listening.port : a.port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The envelope around `items`, the page's elements already joined with commas (framed: with its `]}`). */
function envelope(
  page: Pick<Page, 'more' | 'next'> & { count: number },
  key: 'objects' | 'versions',
  items: string | Framed,
): string | Buffer {
  if (page.count === 0) return '{"more":false}';
  const head = `{"more":${page.more}${page.next ? `,"next":${JSON.stringify(page.next)}` : ''},"${key}":[`;
  return typeof items === 'string' ? `${head}${items}]}` : items.withPrefix(head);
}

/** The page's memory goes back to the reader thread once the response has been handed to the socket. */
function recycleAfter(reply: FastifyReply, body: Framed): FastifyReply {
  reply.raw.once('finish', () => body.release());
  return reply;
}

function withDateHeaders(reply: FastifyReply, first: string | undefined, last: string | undefined): FastifyReply {
  if (first !== undefined && last !== undefined)
    void reply.header('X-TAXII-Date-Added-First', first).header('X-TAXII-Date-Added-Last', last);
  return reply;
}

function presentStatus(s: StatusRecord): Record<string, unknown> {
  return {
    id: s.id,
    status: s.status,
    request_timestamp: s.requestTimestamp,
    total_count: s.totalCount,
    success_count: s.successCount,
    successes: s.successes,
    failure_count: s.failureCount,
    failures: s.failures,
    pending_count: s.pendingCount,
    pendings: [],
  };
}
