import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/app.ts';
import { present, type BriefingService } from './briefing.service.ts';
import {
  BriefingFormatQuery,
  BriefingListQuery,
  BriefingPage,
  BriefingView,
  CreateBriefingBody,
  IdParams,
} from './briefing.schema.ts';

const tags = ['briefings'];

/** REST routes of briefings (api.md, Briefings): every call acts for the user's organisation only. */
export function briefingRoutes(briefings: BriefingService): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    // After authentication (preHandler): only a signed-in user's request starts the PDF printer's browser.
    app.addHook('preHandler', async () => briefings.inUse());
    r.post(
      '/briefings',
      { schema: { tags, body: CreateBriefingBody, response: { 201: BriefingView } } },
      async (req, reply) => {
        const a = actorOf(req);
        const b = await briefings.create({ org: a.org, orgKind: a.orgKind, by: a.userName }, req.body);
        return reply.status(201).send(present(b));
      },
    );
    r.get(
      '/briefings',
      { schema: { tags, querystring: BriefingListQuery, response: { 200: BriefingPage } } },
      async (req) => {
        const page = await briefings.list(actorOf(req).org, req.query.limit, req.query.cursor);
        return { items: page.items.map(present), next: page.next };
      },
    );
    r.get(
      '/briefings/:id',
      { schema: { tags, params: IdParams, querystring: BriefingFormatQuery } },
      async (req, reply) => {
        const doc = await briefings.document(actorOf(req).org, req.params.id, req.query.format);
        return reply
          .type(doc.contentType)
          .header('content-disposition', `inline; filename="${doc.filename}"`)
          .send(doc.body);
      },
    );
    r.get('/briefings/:id/meta', { schema: { tags, params: IdParams, response: { 200: BriefingView } } }, async (req) =>
      present(await briefings.get(actorOf(req).org, req.params.id)),
    );
    r.delete(
      '/briefings/:id',
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (req, reply) => {
        const a = actorOf(req);
        await briefings.delete(a.org, req.params.id, a.userName);
        return reply.status(204).send(null);
      },
    );
  };
}
