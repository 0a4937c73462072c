import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '../../../test/stream-fixture.ts';
import { serve } from '../../main.ts';
import { loadConfig } from '../config.ts';

/** A connection the server accepted (it counts it) and that sends nothing. */
async function hold(srv: Running, n: number): Promise<net.Socket> {
  const { port } = new URL(srv.base);
  const sock = net.connect(Number(port), '127.0.0.1');
  sock.on('error', () => undefined);
  await new Promise((r) => sock.once('connect', r));
  await until(srv, n);
  return sock;
}

async function until(srv: Running, n: number): Promise<void> {
  const count = () => new Promise<number>((r) => srv.app.server.getConnections((_e, c) => r(c)));
  for (let i = 0; i < 200 && (await count()) !== n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(await count()).toBe(n);
}

/** What a GET on a new connection gets: the status line, or 'closed' when the server closed it unanswered. */
function get(srv: Running): Promise<string> {
  const { port } = new URL(srv.base);
  return new Promise((resolve) => {
    const sock = net.connect(Number(port), '127.0.0.1', () =>
      sock.write('GET /api/v1/members HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    let got = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (got += d));
    sock.on('error', () => undefined);
    sock.on('close', () => resolve(got === '' ? 'closed' : got.split('\r\n')[0]!));
  });
}

describe('connections held at once (BULWARK_MAX_CONNECTIONS)', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await startServer({ env: { BULWARK_MAX_CONNECTIONS: '3', BULWARK_MAX_STREAMS: '2' } });
  });
  afterAll(async () => srv.stop());

  it('closes a connection past the bound as it is accepted, and serves again once one is free', async () => {
    expect(await get(srv)).toBe('HTTP/1.1 401 Unauthorized');
    const held = [await hold(srv, 1), await hold(srv, 2), await hold(srv, 3)];
    expect(await get(srv)).toBe('closed');
    held.pop()!.destroy();
    await until(srv, 2);
    expect(await get(srv)).toBe('HTTP/1.1 401 Unauthorized');
    for (const s of held) s.destroy();
  });
});

// `ss` (iproute2) shows a listening socket's backlog as its Send-Q; without it there is nothing to read it with.
describe.skipIf(!existsSync('/usr/bin/ss'))('listen backlog (BULWARK_LISTEN_BACKLOG)', () => {
  it('is what `bulwark serve` listens with', async () => {
    const config = loadConfig(
      { data: mkdtempSync(join(tmpdir(), 'bulwark-backlog-')), port: 0 },
      { BULWARK_LISTEN_BACKLOG: '123' },
    );
    const s = await serve(config);
    try {
      const port = new URL(s.url).port;
      const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
      // State, Recv-Q, Send-Q (the backlog), local address.
      expect(line.split(/\s+/)[2]).toBe('123');
    } finally {
      await s.stop();
    }
  });
});
