import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/app.ts';
import type { Outlook } from './outlook.module.ts';
import { questionRoutes } from './question.routes.ts';
import { achRoutes } from './ach.routes.ts';
import {
  CreateSetBody,
  ImpactsBody,
  ListQuery,
  ObservationBody,
  ObservationCreated,
  PostureView,
  ProposalParams,
  ProposedObservationView,
  SensitivityView,
  SetParams,
  SetSummary,
  SetView,
  SignpostBody,
  SignpostView,
  page,
} from './outlook.schema.ts';

const tags = ['outlook'];
const sets = '/outlook/scenario-sets';

/** REST routes of the outlook context (api.md, Outlook sections). Thin: validate → service → present. */
export function outlookRoutes(o: Outlook): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const s = { tags, params: SetParams };
    r.post(sets, { schema: { tags, body: CreateSetBody, response: { 201: SetView } } }, async (req, reply) =>
      reply.status(201).send(await o.scenarios.create(actorOf(req), req.body)),
    );
    r.get(sets, { schema: { tags, querystring: ListQuery, response: { 200: page(SetSummary) } } }, async (req) =>
      o.scenarios.list(actorOf(req), req.query),
    );
    r.get(`${sets}/:id`, { schema: { ...s, response: { 200: SetView } } }, async (req) =>
      o.scenarios.get(actorOf(req), req.params.id),
    );
    r.post(
      `${sets}/:id/signposts`,
      { schema: { ...s, body: SignpostBody, response: { 201: SignpostView } } },
      async (req, reply) =>
        reply.status(201).send(await o.scenarios.addSignpost(actorOf(req), req.params.id, req.body)),
    );
    r.post(
      `${sets}/:id/observations`,
      { schema: { ...s, body: ObservationBody, response: { 201: ObservationCreated } } },
      async (req, reply) =>
        reply.status(201).send(await o.scenarios.addObservation(actorOf(req), req.params.id, req.body)),
    );
    r.put(`${sets}/:id/impacts`, { schema: { ...s, body: ImpactsBody, response: { 200: PostureView } } }, async (req) =>
      o.scenarios.putImpacts(actorOf(req), req.params.id, req.body),
    );
    r.get(`${sets}/:id/posture`, { schema: { ...s, response: { 200: PostureView } } }, async (req) =>
      o.scenarios.posture(actorOf(req), req.params.id),
    );
    r.get(`${sets}/:id/sensitivity`, { schema: { ...s, response: { 200: SensitivityView } } }, async (req) =>
      o.scenarios.sensitivity(actorOf(req), req.params.id),
    );
    r.get(
      `${sets}/:id/proposed-observations`,
      { schema: { ...s, response: { 200: page(ProposedObservationView) } } },
      async (req) => o.proposals.list(actorOf(req), req.params.id),
    );
    r.post(
      `${sets}/:id/proposed-observations/:proposal/accept`,
      { schema: { tags, params: ProposalParams, response: { 201: ObservationCreated } } },
      async (req, reply) =>
        reply.status(201).send(await o.proposals.accept(actorOf(req), req.params.id, req.params.proposal)),
    );
    r.post(
      `${sets}/:id/proposed-observations/:proposal/dismiss`,
      { schema: { tags, params: ProposalParams, response: { 200: ProposedObservationView } } },
      async (req) => o.proposals.dismiss(actorOf(req), req.params.id, req.params.proposal),
    );
    await app.register(questionRoutes(o));
    await app.register(achRoutes(o));
  };
}
