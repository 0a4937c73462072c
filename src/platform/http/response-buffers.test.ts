import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendError } from './errors.ts';
import { ResponseBuffers, responseBufferHooks } from './response-buffers.ts';

const BIG = 24 * 1024 * 1024; // well past what loopback socket buffers take without the client reading

/** Sends a GET and does not read the answer until `resume` is called; resolves with the bytes read then. */
function slowGet(port: number, path: string): { resume: () => Promise<number>; close: () => void } {
  const sock = net.connect(port, '127.0.0.1', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
  sock.pause();
  sock.on('error', () => undefined);
  return {
    resume: () =>
      new Promise((resolve) => {
        let n = 0;
        sock.on('data', (d: Buffer) => {
          n += d.length;
          if (n >= BIG) {
            sock.destroy();
            resolve(n);
          }
        });
        sock.resume();
      }),
    close: () => sock.destroy(),
  };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('response buffers', () => {
  let app: FastifyInstance;
  let buffers: ResponseBuffers;
  let port: number;
  beforeEach(async () => {
    buffers = new ResponseBuffers(4 * 1024 * 1024);
    app = Fastify();
    app.setErrorHandler((err, req, reply) => sendError(reply, err, req));
    const hooks = responseBufferHooks(buffers, (req) => req.url === '/healthz');
    app.addHook('onRequest', hooks.onRequest);
    app.addHook('onSend', hooks.onSend);
    app.get('/big', async (_req, reply) => reply.type('text/plain').send('x'.repeat(BIG)));
    app.get('/small', async () => ({ ok: true }));
    app.get('/healthz', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });
  afterEach(async () => app.close());

  it('answers 503 with Retry-After while unread bodies hold the bound, and serves again once they are read', async () => {
    const slow = slowGet(port, '/big');
    await until(() => buffers.held >= BIG);
    const refused = await fetch(`http://127.0.0.1:${port}/small`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/response bytes/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await slow.resume()).toBeGreaterThanOrEqual(BIG);
    await until(() => buffers.held === 0);
    expect((await fetch(`http://127.0.0.1:${port}/small`)).status).toBe(200);
  });

  it('releases what a client that hangs up never read', async () => {
    const slow = slowGet(port, '/big');
    await until(() => buffers.held >= BIG);
    slow.close();
    await until(() => buffers.held === 0);
    expect((await fetch(`http://127.0.0.1:${port}/small`)).status).toBe(200);
  });
});
