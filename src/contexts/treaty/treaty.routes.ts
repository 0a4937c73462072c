import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/app.ts';
import {
  AreasQuery,
  AssessmentBody,
  AssessmentResponse,
  DeploymentBody,
  DeploymentResponse,
  MembersQuery,
  MembersResponse,
} from './treaty.schema.ts';
import type { TreatyService } from './treaty.service.ts';

/** Treaty assessments, deployment checks, the membership timeline and the treaty-area map layer. */
export function treatyRoutes(treaty: TreatyService): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['treaty'];
    r.post(
      '/treaty/assessments',
      { schema: { tags, body: AssessmentBody, response: { 200: AssessmentResponse } } },
      async (req) => treaty.assess(req.body),
    );
    r.post(
      '/treaty/deployment-checks',
      { schema: { tags, body: DeploymentBody, response: { 200: DeploymentResponse } } },
      async (req) => treaty.checkDeployment(actorOf(req), req.body),
    );
    r.get(
      '/treaty/members',
      { schema: { tags, querystring: MembersQuery, response: { 200: MembersResponse } } },
      async (req) => treaty.members(req.query.on),
    );
    r.get(
      '/treaty/areas',
      {
        schema: {
          tags,
          querystring: AreasQuery,
          response: { 200: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) },
        },
      },
      async (req) => treaty.areas(req.query.winding),
    );
  };
}
