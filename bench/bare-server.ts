/** Baseline server for the TAXII bench: a bare Fastify route returning a small JSON body. */
import Fastify from 'fastify';

const app = Fastify();
const body = JSON.stringify({ more: false, objects: [] });
app.get('/bare', async (_req, reply) => reply.header('content-type', 'application/json').send(body));
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
