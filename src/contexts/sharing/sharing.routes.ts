import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/app.ts';
import type { OrganisationRepository } from './organisation.repository.ts';
import type { UserService } from './user.service.ts';
import {
  CreatedUserView,
  CreateUserBody,
  MemberView,
  MeView,
  TokenView,
  UserIdParams,
  UserView,
} from './sharing.schema.ts';

export function sharingRoutes(orgs: OrganisationRepository, users: UserService): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/members',
      { schema: { tags: ['members'], response: { 200: z.object({ items: z.array(MemberView) }) } } },
      async () => ({ items: await orgs.list() }),
    );
    r.get('/me', { schema: { tags: ['members'], response: { 200: MeView } } }, async (req) => {
      const a = actorOf(req);
      const org = await orgs.get(a.org);
      return {
        user: { id: a.userId, name: a.userName, role: a.role },
        organisation: org ?? { code: a.org, name: a.org, kind: a.orgKind, joined: null },
      };
    });
    r.get(
      '/admin/users',
      { schema: { tags: ['admin'], response: { 200: z.object({ items: z.array(UserView) }) } } },
      async (req) => ({
        items: await users.listForAdmin(actorOf(req)),
      }),
    );
    r.post(
      '/admin/users',
      {
        schema: { tags: ['admin'], body: CreateUserBody, response: { 201: CreatedUserView } },
      },
      async (req, reply) => {
        return reply.status(201).send(await users.createForAdmin(actorOf(req), req.body.name, req.body.role));
      },
    );
    r.post(
      '/admin/users/:id/tokens',
      { schema: { tags: ['admin'], params: UserIdParams, response: { 201: TokenView } } },
      async (req, reply) => reply.status(201).send({ token: await users.issueToken(actorOf(req), req.params.id) }),
    );
    r.delete('/admin/users/:id/tokens', { schema: { tags: ['admin'], params: UserIdParams } }, async (req, reply) => {
      await users.revokeTokens(actorOf(req), req.params.id);
      return reply.status(204).send();
    });
  };
}
