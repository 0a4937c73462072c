import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStream } from '../../../test/sse-client.ts';
import { emit, startServer, tokenFor, type Running } from '../../../test/stream-fixture.ts';

/** Connects and sends `text` one byte at a time every `everyMs` until the server closes the socket. */
function trickle(base: string, text: string, everyMs: number): Promise<{ received: string; sent: number }> {
  const { port } = new URL(base);
  return new Promise((resolve) => {
    const sock = net.connect(Number(port), '127.0.0.1');
    let received = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sock.destroyed || sock.writableEnded) return;
      sock.write(text[sent % text.length]!);
      sent++;
    }, everyMs);
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (received += d));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearInterval(timer);
      resolve({ received, sent });
    });
  });
}

describe('HTTP timeouts', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await startServer({
      events: { heartbeatMs: 100 },
      env: { BULWARK_HEADERS_TIMEOUT_MS: '400', BULWARK_REQUEST_TIMEOUT_MS: '800', BULWARK_IDLE_TIMEOUT_MS: '1000' },
    });
  });
  afterAll(async () => srv.stop());

  it('closes a connection that trickles its headers', async () => {
    const headers = 'GET /api/v1/members HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(10_000);
    const r = await trickle(srv.base, headers, 50);
    // Closed long before the headers were complete (with or without a 408).
    expect(r.sent).toBeLessThan(headers.length);
    expect(r.received === '' || r.received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('closes a connection that trickles its body', async () => {
    const token = await tokenFor(srv.services, 'PL');
    const head = `POST /api/v1/incidents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
    const { port } = new URL(srv.base);
    const closed = await new Promise<string>((resolve) => {
      const sock = net.connect(Number(port), '127.0.0.1', () => sock.write(head));
      let got = '';
      const timer = setInterval(() => sock.writable && sock.write(' '), 50);
      sock.setEncoding('utf8');
      sock.on('data', (d: string) => (got += d));
      sock.on('error', () => undefined);
      sock.on('close', () => {
        clearInterval(timer);
        resolve(got);
      });
    });
    expect(closed === '' || /^HTTP\/1\.1 408/.test(closed)).toBe(true);
  });

  it('does not cut a live stream that outlasts the request timeout', async () => {
    const token = await tokenFor(srv.services, 'LT');
    const c = await openStream(srv.base, token);
    // Well past the request (800 ms) and idle (1000 ms) timeouts; heartbeats keep the socket busy.
    await c.waitFor(() => c.comments.filter((x) => x === 'heartbeat').length >= 25, 20_000, '25 heartbeats');
    await emit(srv.services, [
      { event: 'incident.created', objectId: 'incident--late', author: 'LT', tlp: 'green', audience: [], payload: {} },
    ]);
    await c.waitFor((ev) => ev.some((e) => e.data.includes('incident--late')), 10_000, 'the late event');
    expect(c.isEnded()).toBe(false);
    c.close();
  });
});
