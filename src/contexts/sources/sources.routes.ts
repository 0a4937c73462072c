import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/app.ts';
import type { Sources } from './sources.module.ts';
import {
  CreateDocumentBody,
  CreateSourceBody,
  DocumentLinks,
  DocumentSummary,
  IncidentDocument,
  DocumentView,
  FetchDocumentBody,
  EntityQuery,
  EntitySummary,
  EntityView,
  IdParams,
  MergeBody,
  PageQuery,
  RejectBody,
  SignpostLinkBody,
  SignpostLinkView,
  ReviewItem,
  SourceView,
  SplitBody,
  page,
} from './sources.schema.ts';

const tags = ['sources'];

/** Open sources (api.md): thin routes over the sources, documents and entities services. */
export function sourcesRoutes(s: Sources): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/sources',
      { schema: { tags, body: CreateSourceBody, response: { 201: SourceView } } },
      async (req, reply) => reply.status(201).send(await s.sources.create(actorOf(req), req.body)),
    );
    r.get(
      '/sources',
      { schema: { tags, response: { 200: z.object({ items: z.array(SourceView) }) } } },
      async (req) => ({
        items: await s.sources.list(actorOf(req)),
      }),
    );
    r.get('/sources/:id', { schema: { tags, params: IdParams, response: { 200: SourceView } } }, async (req) =>
      s.sources.get(actorOf(req), req.params.id),
    );
    r.post(
      '/documents',
      { schema: { tags, body: CreateDocumentBody, response: { 201: DocumentView } } },
      async (req, reply) => reply.status(201).send(await s.documents.create(actorOf(req), req.body)),
    );
    r.post(
      '/documents/fetch',
      { schema: { tags, body: FetchDocumentBody, response: { 201: DocumentView } } },
      async (req, reply) => reply.status(201).send(await s.fromUrl.create(actorOf(req), req.body)),
    );
    r.get(
      '/documents',
      { schema: { tags, querystring: PageQuery, response: { 200: page(DocumentSummary) } } },
      async (req) => s.documents.list(actorOf(req), req.query),
    );
    r.get('/documents/:id', { schema: { tags, params: IdParams, response: { 200: DocumentView } } }, async (req) =>
      s.documents.get(actorOf(req), req.params.id),
    );
    r.get(
      '/documents/:id/links',
      { schema: { tags, params: IdParams, response: { 200: DocumentLinks } } },
      async (req) => s.links.ofDocument(actorOf(req), req.params.id),
    );
    r.post(
      '/documents/:id/signposts',
      { schema: { tags, params: IdParams, body: SignpostLinkBody, response: { 201: SignpostLinkView } } },
      async (req, reply) => reply.status(201).send(await s.signposts.link(actorOf(req), req.params.id, req.body)),
    );
    r.get(
      '/documents/:id/signposts',
      { schema: { tags, params: IdParams, response: { 200: z.object({ items: z.array(SignpostLinkView) }) } } },
      async (req) => ({ items: await s.signposts.list(actorOf(req), req.params.id) }),
    );
    r.get(
      '/incidents/:id/documents',
      { schema: { tags, params: IdParams, response: { 200: z.object({ items: z.array(IncidentDocument) }) } } },
      async (req) => ({ items: await s.links.ofIncident(actorOf(req), req.params.id) }),
    );
    r.delete('/documents/:id', { schema: { tags, params: IdParams } }, async (req, reply) => {
      await s.documents.delete(actorOf(req), req.params.id);
      return reply.status(204).send();
    });
    r.get(
      '/entities',
      { schema: { tags, querystring: EntityQuery, response: { 200: page(EntitySummary) } } },
      async (req) => s.entities.search(actorOf(req), req.query),
    );
    r.get(
      '/entities/review',
      { schema: { tags, response: { 200: z.object({ items: z.array(ReviewItem) }) } } },
      async (req) => ({
        items: await s.entities.review(actorOf(req)),
      }),
    );
    r.get('/entities/:id', { schema: { tags, params: IdParams, response: { 200: EntityView } } }, async (req) =>
      s.entities.get(actorOf(req), req.params.id),
    );
    r.post(
      '/entities/:id/split',
      { schema: { tags, params: IdParams, body: SplitBody, response: { 200: EntityView } } },
      async (req) => s.entities.split(actorOf(req), req.params.id, req.body.alias),
    );
    r.post(
      '/entities/:id/merge',
      { schema: { tags, params: IdParams, body: MergeBody, response: { 200: EntityView } } },
      async (req) => s.entities.merge(actorOf(req), req.params.id, req.body.other),
    );
    r.post(
      '/entities/:id/reject',
      { schema: { tags, params: IdParams, body: RejectBody, response: { 200: EntityView } } },
      async (req) => s.entities.reject(actorOf(req), req.params.id, req.body.other),
    );
  };
}
