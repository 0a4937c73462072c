import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/app.ts';
import type { Proposal } from './proposal.ts';
import type { CouncilService } from './proposal.service.ts';
import {
  CreateProposalBody,
  IdParams,
  ListQuery,
  PositionBody,
  ProposalView,
  ReviseBody,
  type ProposalViewT,
} from './proposal.schema.ts';

/** The wire form of a proposal (api.md, Council). */
export function present(p: Proposal): ProposalViewT {
  return {
    id: p.id,
    title: p.title,
    kind: p.kind,
    text: p.text,
    procedure: p.procedure,
    status: p.status,
    author: p.author,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    membershipDate: p.membershipDate,
    membersConcerned: p.members.length,
    silenceEndsAt: p.silenceEndsAt,
    decidedAt: p.decidedAt,
    host: p.host,
    references: p.references,
    assessment: p.assessment,
    tlp: p.tlp,
    audience: p.audience,
    supersedes: p.supersedes,
    supersededBy: p.supersededBy,
    positions: Object.entries(p.positions)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([member, x]) => ({ member, position: x.position, statement: x.statement, at: x.at, by: x.by })),
  };
}

const tags = ['council'];
const one = { 200: ProposalView };

export function councilRoutes(council: CouncilService): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/council/proposals',
      { schema: { tags, body: CreateProposalBody, response: { 201: ProposalView } } },
      async (req, reply) => reply.status(201).send(present(await council.create(actorOf(req), req.body))),
    );
    r.get(
      '/council/proposals',
      { schema: { tags, querystring: ListQuery, response: { 200: z.object({ items: z.array(ProposalView) }) } } },
      async (req) => ({
        items: (await council.list(actorOf(req), req.query)).map(present),
      }),
    );
    r.get('/council/proposals/:id', { schema: { tags, params: IdParams, response: one } }, async (req) =>
      present(await council.get(actorOf(req), req.params.id)),
    );
    r.post(
      '/council/proposals/:id/positions',
      { schema: { tags, params: IdParams, body: PositionBody, response: one } },
      async (req) => present(await council.takePosition(actorOf(req), req.params.id, req.body)),
    );
    r.post('/council/proposals/:id/close', { schema: { tags, params: IdParams, response: one } }, async (req) =>
      present(await council.close(actorOf(req), req.params.id)),
    );
    r.post('/council/proposals/:id/withdraw', { schema: { tags, params: IdParams, response: one } }, async (req) =>
      present(await council.withdraw(actorOf(req), req.params.id)),
    );
    r.post(
      '/council/proposals/:id/revise',
      { schema: { tags, params: IdParams, body: ReviseBody, response: { 201: ProposalView } } },
      async (req, reply) =>
        reply.status(201).send(present(await council.revise(actorOf(req), req.params.id, req.body))),
    );
  };
}
