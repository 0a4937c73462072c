import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasService } from '../services.ts';
import { openStream, type SseClient } from '../sse-client.ts';
import { startServer, tokenFor, type Running } from '../stream-fixture.ts';

const SCRIPT = join(import.meta.dirname, '../../scripts/proxy-nginx.sh');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

function request(port: number, method: string, path: string, headers: Record<string, string> = {}, body = '') {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const ra = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof ra === 'string' ? ra : undefined, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The proxy in front of the instances (scripts/proxy-nginx.sh) sends each at most PROXY_MAX_CONNS requests at once
 * and answers the rest 503 with Retry-After itself: a busy Node process accepts one connection per turn of its loop,
 * so a surge's connections otherwise waited unread in the listen queue (bench/RESULTS.md).
 */
describe.skipIf(!hasService('nginx'))('the proxy in front of the instances (scripts/proxy-nginx.sh)', () => {
  const stops: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  const proxy = async (maxConns: number, upstream: number): Promise<number> => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-proxy-'));
    const port = await freePort();
    const r = spawnSync('sh', [SCRIPT, dir, String(port), `127.0.0.1:${upstream}`], {
      env: { ...process.env, PROXY_MAX_CONNS: String(maxConns) },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    stops.push(() => void spawnSync('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-s', 'quit']));
    return port;
  };

  it('refuses past PROXY_MAX_CONNS requests at once with 503, Retry-After and the API error shape', async () => {
    // An instance that holds each request until told: the requests in flight are the ones the shield counts.
    const held: Array<() => void> = [];
    const upstream = http.createServer((_req, res) => {
      held.push(() => res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"x"}'));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    stops.push(() => new Promise<void>((r) => upstream.close(() => r())));
    stops.push(() => upstream.closeAllConnections());
    const port = await proxy(2, (upstream.address() as AddressInfo).port);

    const first = [request(port, 'POST', '/api/v1/incidents', {}, '{}'), request(port, 'POST', '/api/v1/incidents')];
    await expect.poll(() => held.length).toBe(2);
    const refused = await Promise.all([1, 2, 3].map(() => request(port, 'POST', '/api/v1/incidents', {}, '{}')));
    for (const r of refused) {
      expect(r.status).toBe(503);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(2);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(5);
      expect(JSON.parse(r.body)).toEqual({
        error: { code: 'unavailable', message: 'the server is busy; retry after the time in Retry-After' },
      });
    }
    expect(held.length).toBe(2);
    for (const answer of held.splice(0)) answer();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([201, 201]);
    // The instance has room again.
    const again = request(port, 'POST', '/api/v1/incidents', {}, '{}');
    await expect.poll(() => held.length).toBe(1);
    held.splice(0)[0]!();
    expect((await again).status).toBe(201);
  });

  it('passes live streams apart from the bound, so subscribers never take the reports’ places', async () => {
    const server: Running = await startServer();
    stops.push(() => server.stop());
    const port = await proxy(1, Number(new URL(server.base).port));
    const base = `http://127.0.0.1:${port}`;
    const token = await tokenFor(server.services, 'PL');
    const streams: SseClient[] = [];
    for (let i = 0; i < 3; i++) streams.push(await openStream(base, token));
    stops.push(() => streams.forEach((s) => s.close()));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);

    const report = await request(
      port,
      'POST',
      '/api/v1/incidents',
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      JSON.stringify({
        title: 'Through the proxy',
        description: 'A report posted while three streams are open',
        category: 'cyber',
        occurredAt: '2026-03-02T08:00:00Z',
        affectedMembers: ['PL'],
        tlp: 'green',
      }),
    );
    expect(report.status, report.body).toBe(201);
    const { id } = JSON.parse(report.body) as { id: string };
    for (const s of streams) await s.waitFor((es) => es.some((e) => e.data.includes(id)), 10_000, 'the report');
  });
});
