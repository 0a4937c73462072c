import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DomainError, validation } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/app.ts';
import { credentialsOf, SESSION_COOKIE } from '../../platform/http/authenticate.ts';
import { SessionView } from './session.schema.ts';
import type { SessionService } from './session.service.ts';

/**
 * The console's session: POST exchanges the bearer token for an httpOnly, SameSite=Strict cookie (and
 * answers the CSRF token), GET tells a new tab its CSRF token, DELETE signs out.
 */
export function sessionRoutes(sessions: SessionService): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post('/session', { schema: { tags: ['members'], response: { 201: SessionView } } }, async (req, reply) => {
      const token = credentialsOf(req, false)?.token;
      if (!token || req.sessionId)
        throw validation('authorization', 'a session is opened with Authorization: Bearer TOKEN');
      const s = await sessions.open(token, actorOf(req));
      void reply.header('set-cookie', cookie(req, s.id, Math.floor((Date.parse(s.expiresAt) - Date.now()) / 1000)));
      return reply.status(201).send({ csrfToken: s.csrfToken, expiresAt: s.expiresAt });
    });
    r.get('/session', { schema: { tags: ['members'], response: { 200: SessionView } } }, async (req) => {
      const s = req.sessionId ? await sessions.resolve(req.sessionId) : undefined;
      if (!s) throw new DomainError('not-found', 'session: this request carries no console session cookie');
      return { csrfToken: s.csrfToken, expiresAt: s.expiresAt };
    });
    r.delete('/session', { schema: { tags: ['members'] } }, async (req, reply) => signOut(req, reply, sessions));
  };
}

async function signOut(req: FastifyRequest, reply: FastifyReply, sessions: SessionService): Promise<FastifyReply> {
  if (req.sessionId) await sessions.close(req.sessionId);
  void reply.header('set-cookie', cookie(req, '', 0));
  return reply.status(204).send();
}

function cookie(req: FastifyRequest, value: string, maxAgeS: number): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/api/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, maxAgeS)}${secure}`;
}
