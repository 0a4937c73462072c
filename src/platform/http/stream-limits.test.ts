import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStream, type SseClient } from '../../../test/sse-client.ts';
import { emit, startServer, tokenFor, type Running } from '../../../test/stream-fixture.ts';
import type { OutgoingEvent } from '../events/outbox.ts';

const green = (objectId: string): OutgoingEvent => ({
  event: 'incident.created',
  objectId,
  author: 'PL',
  tlp: 'green',
  audience: [],
  payload: {},
});

/** Status and Retry-After of a stream request that is refused (the body is read; nothing stays open). */
function refusedStream(
  base: string,
  token: string,
): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL('/api/v1/stream', base), { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
      })
      .on('error', reject);
  });
}

describe('live stream limits and credentials', () => {
  let srv: Running;
  const open: SseClient[] = [];
  const track = (c: SseClient) => (open.push(c), c);
  beforeAll(async () => {
    srv = await startServer({ env: { BULWARK_MAX_STREAMS: '24' } });
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => srv.stop());

  it('the 17th stream of one user is a 429 with Retry-After; other users still open theirs', async () => {
    const token = await tokenFor(srv.services, 'PL');
    for (let i = 0; i < 16; i++) expect(track(await openStream(srv.base, token)).status).toBe(200);
    const r = await refusedStream(srv.base, token);
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect((JSON.parse(r.body) as { error: { message: string } }).error.message).toMatch(
      /BULWARK_MAX_STREAMS_PER_USER/,
    );
    const other = track(await openStream(srv.base, await tokenFor(srv.services, 'LT')));
    expect(other.status).toBe(200);
    // Closing one frees its place.
    const first = open[0]!;
    first.close();
    await waitUntil(async () => (await refusedOrOpen(srv.base, token)) === 200);
  });

  it('past the server-wide cap a stream is a 503 with Retry-After', async () => {
    const operator = await tokenFor(srv.services, 'PL', 'operator');
    // The streams of the test before have left the server.
    await waitUntil(async () =>
      /bulwark_sse_subscribers 0\b/.test(
        await (await fetch(`${srv.base}/metrics`, { headers: { authorization: `Bearer ${operator}` } })).text(),
      ),
    );
    const tokens = await Promise.all(Array.from({ length: 3 }, () => tokenFor(srv.services, 'DE')));
    for (const t of tokens) for (let i = 0; i < 8; i++) expect(track(await openStream(srv.base, t)).status).toBe(200);
    const r = await refusedStream(srv.base, await tokenFor(srv.services, 'FR'));
    expect(r.status).toBe(503);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
  });

  it('revoking the token ends the streams opened with it, and only those', async () => {
    const admin = await tokenFor(srv.services, 'EE', 'admin');
    const { user, token } = await srv.services.users.create({ member: 'EE', name: `revokee-${process.pid}` });
    const victim = track(await openStream(srv.base, token));
    const victim2 = track(await openStream(srv.base, token));
    const bystander = track(await openStream(srv.base, await tokenFor(srv.services, 'EE')));
    const del = await fetch(`${srv.base}/api/v1/admin/users/${user.id}/tokens`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(del.status).toBe(204);
    await within(victim.ended, 15_000, 'the revoked stream to end');
    await within(victim2.ended, 15_000, 'the second revoked stream to end');
    await emit(srv.services, [green('incident--after-revocation')]);
    await bystander.waitFor(
      (ev) => ev.some((e) => e.data.includes('incident--after-revocation')),
      10_000,
      'the event at the bystander',
    );
    expect(victim.events.some((e) => e.data.includes('incident--after-revocation'))).toBe(false);
    const again = await refusedStream(srv.base, token);
    expect(again.status).toBe(401);
  });

  it('expiry and a disabled user end their streams within the recheck window', async () => {
    const expiring = await srv.services.users.create({
      member: 'LV',
      name: `expiring-${process.pid}`,
      expiresAt: new Date(Date.now() + 1_500).toISOString(),
    });
    const disabled = await srv.services.users.create({ member: 'LV', name: `disabled-${process.pid}` });
    const a = track(await openStream(srv.base, expiring.token));
    const b = track(await openStream(srv.base, disabled.token));
    expect([a.status, b.status]).toEqual([200, 200]);
    // Disabled in the store directly (as another instance or an operator would): no in-process event.
    await srv.services.database.db
      .updateTable('users')
      .set({ disabled: 1 })
      .where('id', '=', disabled.user.id)
      .execute();
    await within(Promise.all([a.ended, b.ended]), 20_000, 'both streams to end');
  });
});

async function refusedOrOpen(base: string, token: string): Promise<number> {
  const c = await openStream(base, token);
  c.close();
  return c.status;
}

async function waitUntil(pred: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition never held');
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
