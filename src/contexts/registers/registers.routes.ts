import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/app.ts';
import { readerOf } from '../../kernel/access/actor.ts';
import type { Registers } from './registers.module.ts';
import {
  CreateSupportBody,
  IdParams,
  PatchSupportBody,
  SupportListQuery,
  SupportPage,
  SupportSummaryQuery,
  SupportSummaryView,
  SupportView,
} from './support.schema.ts';
import { CreateEventBody, EventListQuery, EventPage, EventView } from './diplomacy.schema.ts';
import { CreateNeedBody, NeedListQuery, NeedPage, NeedSummaryView, NeedView } from './humanitarian.schema.ts';

/** REST routes of the registers (api.md, Registers). Thin: validate → service → present. */
export function registersRoutes(g: Registers): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const support = { tags: ['registers: support'] };
    r.post(
      '/support',
      { schema: { ...support, body: CreateSupportBody, response: { 201: SupportView } } },
      async (req, reply) => reply.status(201).send(await g.support.create(actorOf(req), req.body)),
    );
    r.get(
      '/support',
      { schema: { ...support, querystring: SupportListQuery, response: { 200: SupportPage } } },
      async (req) => g.support.list(readerOf(actorOf(req)), req.query),
    );
    r.get(
      '/support/summary',
      { schema: { ...support, querystring: SupportSummaryQuery, response: { 200: SupportSummaryView } } },
      async (req) => g.support.summary(readerOf(actorOf(req)), req.query.recipient),
    );
    r.get('/support/:id', { schema: { ...support, params: IdParams, response: { 200: SupportView } } }, async (req) =>
      g.support.get(actorOf(req), req.params.id),
    );
    r.patch(
      '/support/:id',
      { schema: { ...support, params: IdParams, body: PatchSupportBody, response: { 200: SupportView } } },
      async (req) => g.support.patch(actorOf(req), req.params.id, req.body),
    );

    const diplomacy = { tags: ['registers: diplomacy'] };
    r.post(
      '/diplomacy/events',
      { schema: { ...diplomacy, body: CreateEventBody, response: { 201: EventView } } },
      async (req, reply) => reply.status(201).send(await g.diplomacy.create(actorOf(req), req.body)),
    );
    r.get(
      '/diplomacy/events',
      { schema: { ...diplomacy, querystring: EventListQuery, response: { 200: EventPage } } },
      async (req) => g.diplomacy.list(readerOf(actorOf(req)), req.query),
    );
    r.get(
      '/diplomacy/events/:id',
      { schema: { ...diplomacy, params: IdParams, response: { 200: EventView } } },
      async (req) => g.diplomacy.get(actorOf(req), req.params.id),
    );

    const humanitarian = { tags: ['registers: humanitarian'] };
    r.post(
      '/humanitarian/needs',
      { schema: { ...humanitarian, body: CreateNeedBody, response: { 201: NeedView } } },
      async (req, reply) => reply.status(201).send(await g.humanitarian.create(actorOf(req), req.body)),
    );
    r.get(
      '/humanitarian/needs',
      { schema: { ...humanitarian, querystring: NeedListQuery, response: { 200: NeedPage } } },
      async (req) => g.humanitarian.list(readerOf(actorOf(req)), req.query),
    );
    r.get(
      '/humanitarian/needs/:id',
      { schema: { ...humanitarian, params: IdParams, response: { 200: NeedView } } },
      async (req) => g.humanitarian.get(actorOf(req), req.params.id),
    );
    r.get('/humanitarian/summary', { schema: { ...humanitarian, response: { 200: NeedSummaryView } } }, async (req) =>
      g.humanitarian.summary(readerOf(actorOf(req))),
    );
  };
}
