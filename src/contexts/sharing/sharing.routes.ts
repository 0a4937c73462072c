import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/app.ts';
import type { OrganisationRepository } from './organisation.repository.ts';
import type { UserService } from './user.service.ts';

const Member = z.object({ code: z.string(), name: z.string(), kind: z.enum(['member', 'partner']), joined: z.string().nullable() });
const Me = z.object({ user: z.object({ id: z.string(), name: z.string(), role: z.string() }), organisation: Member });
const User = z.object({ id: z.string(), name: z.string(), org: z.string(), role: z.string(), createdAt: z.string(), disabled: z.boolean() });

export function sharingRoutes(orgs: OrganisationRepository, users: UserService): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/members', { schema: { tags: ['members'], response: { 200: z.object({ items: z.array(Member) }) } } }, async () => ({ items: await orgs.list() }));
    r.get('/me', { schema: { tags: ['members'], response: { 200: Me } } }, async (req) => {
      const a = actorOf(req);
      const org = await orgs.get(a.org);
      return { user: { id: a.userId, name: a.userName, role: a.role }, organisation: org ?? { code: a.org, name: a.org, kind: a.orgKind, joined: null } };
    });
    r.get('/admin/users', { schema: { tags: ['admin'], response: { 200: z.object({ items: z.array(User) }) } } }, async (req) => ({
      items: await users.listForAdmin(actorOf(req)),
    }));
    r.post('/admin/users', {
      schema: { tags: ['admin'], body: z.object({ name: z.string().min(1).max(100), role: z.enum(['analyst', 'admin', 'operator']).default('analyst').describe('operator: refused here (403); operators are created on the node') }), response: { 201: z.object({ user: User, token: z.string() }) } },
    }, async (req, reply) => {
      return reply.status(201).send(await users.createForAdmin(actorOf(req), req.body.name, req.body.role));
    });
    r.post('/admin/users/:id/tokens', { schema: { tags: ['admin'], params: z.object({ id: z.string().max(64) }), response: { 201: z.object({ token: z.string() }) } } }, async (req, reply) =>
      reply.status(201).send({ token: await users.issueToken(actorOf(req), req.params.id) }),
    );
    r.delete('/admin/users/:id/tokens', { schema: { tags: ['admin'], params: z.object({ id: z.string().max(64) }) } }, async (req, reply) => {
      await users.revokeTokens(actorOf(req), req.params.id);
      return reply.status(204).send();
    });
  };
}
