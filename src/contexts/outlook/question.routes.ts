import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/app.ts';
import type { Outlook } from './outlook.module.ts';
import {
  CreateQuestionBody,
  ForecastBody,
  ListQuery,
  QuestionView,
  ResolutionBody,
  ScoresView,
  SetParams,
  page,
} from './outlook.schema.ts';

const tags = ['outlook'];
const questions = '/outlook/questions';

/** Forecast questions (api.md, Outlook: forecast questions). Thin: validate → service → present. */
export function questionRoutes(o: Outlook): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const one = { tags, params: SetParams };
    r.post(
      questions,
      { schema: { tags, body: CreateQuestionBody, response: { 201: QuestionView } } },
      async (req, reply) => reply.status(201).send(await o.questions.create(actorOf(req), req.body)),
    );
    r.get(questions, { schema: { tags, querystring: ListQuery, response: { 200: page(QuestionView) } } }, async (req) =>
      o.questions.list(actorOf(req), req.query),
    );
    r.get(`${questions}/:id`, { schema: { ...one, response: { 200: QuestionView } } }, async (req) =>
      o.questions.get(actorOf(req), req.params.id),
    );
    r.post(
      `${questions}/:id/forecasts`,
      { schema: { ...one, body: ForecastBody, response: { 201: QuestionView } } },
      async (req, reply) => reply.status(201).send(await o.questions.forecast(actorOf(req), req.params.id, req.body)),
    );
    r.post(
      `${questions}/:id/resolution`,
      { schema: { ...one, body: ResolutionBody, response: { 200: QuestionView } } },
      async (req) => o.questions.resolve(actorOf(req), req.params.id, req.body),
    );
    r.get('/outlook/scores', { schema: { tags, response: { 200: ScoresView } } }, async (req) =>
      o.questions.scores(actorOf(req)),
    );
  };
}
