import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/app.ts';
import type { Outlook } from './outlook.module.ts';
import {
  AchEvidenceBody,
  AchEvidenceParams,
  AchSummary,
  AchView,
  CreateAchBody,
  ListQuery,
  SetParams,
  page,
} from './outlook.schema.ts';

const tags = ['outlook'];
const ach = '/outlook/ach';

/** ACH matrices (api.md, Outlook: ACH). Thin: validate → service → present. */
export function achRoutes(o: Outlook): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const one = { tags, params: SetParams };
    r.post(ach, { schema: { tags, body: CreateAchBody, response: { 201: AchView } } }, async (req, reply) =>
      reply.status(201).send(await o.ach.create(actorOf(req), req.body)),
    );
    r.get(ach, { schema: { tags, querystring: ListQuery, response: { 200: page(AchSummary) } } }, async (req) =>
      o.ach.list(actorOf(req), req.query),
    );
    r.get(`${ach}/:id`, { schema: { ...one, response: { 200: AchView } } }, async (req) =>
      o.ach.get(actorOf(req), req.params.id),
    );
    r.post(
      `${ach}/:id/evidence`,
      { schema: { ...one, body: AchEvidenceBody, response: { 201: AchView } } },
      async (req, reply) => reply.status(201).send(await o.ach.putEvidence(actorOf(req), req.params.id, req.body)),
    );
    r.put(
      `${ach}/:id/evidence/:key`,
      {
        schema: {
          tags,
          params: AchEvidenceParams,
          body: AchEvidenceBody.omit({ key: true }),
          response: { 200: AchView },
        },
      },
      async (req) => o.ach.putEvidence(actorOf(req), req.params.id, { ...req.body, key: req.params.key }, true),
    );
    r.delete(
      `${ach}/:id/evidence/:key`,
      { schema: { tags, params: AchEvidenceParams, response: { 200: AchView } } },
      async (req) => o.ach.removeEvidence(actorOf(req), req.params.id, req.params.key),
    );
  };
}
