import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/app.ts';
import type { PeerService } from './peer.service.ts';
import { CreatePeerBody, PeerIdParams, PeerList, PeerView } from './peer.schema.ts';

const tags = ['federation'];

/** `/api/v1/peers` for the node's operators (others: 403). The token is never returned. */
export function peerRoutes(peers: PeerService): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post('/peers', { schema: { tags, body: CreatePeerBody, response: { 201: PeerView } } }, async (req, reply) =>
      reply.status(201).send(await peers.add(actorOf(req), req.body)),
    );
    r.get('/peers', { schema: { tags, response: { 200: PeerList } } }, async (req) => ({
      items: await peers.list(actorOf(req)),
    }));
    r.delete('/peers/:id', { schema: { tags, params: PeerIdParams } }, async (req, reply) => {
      await peers.remove(actorOf(req), req.params.id);
      return reply.status(204).send();
    });
  };
}
