/**
 * Baseline server for the TAXII bench: bare Fastify routes, one returning a small JSON body and one
 * returning a precomputed body of the size of a TAXII page (100 objects, ~68 KB), so the bench shows
 * what HTTP alone costs at that payload on this machine.
 */
import Fastify from 'fastify';
import { syntheticObject } from './util.ts';

const app = Fastify();
const small = JSON.stringify({ more: false, objects: [] });
const page = `{"more":true,"next":"1","objects":[${Array.from({ length: 100 }, (_, i) => JSON.stringify(syntheticObject(i))).join(',')}]}`;
app.get('/bare', async (_req, reply) => reply.header('content-type', 'application/json').send(small));
app.get('/bare-page', async (_req, reply) =>
  reply.header('content-type', 'application/taxii+json;version=2.1').send(page),
);
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
