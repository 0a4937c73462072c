import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, tokenFor, type Running } from '../../../test/stream-fixture.ts';
import { openStream, type SseClient } from '../../../test/sse-client.ts';

describe('register changes on the live stream', () => {
  let srv: Running;
  const clients: SseClient[] = [];
  beforeEach(async () => {
    srv = await startServer({ events: { pollMs: 50 } });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await srv.stop();
  });
  const call = async (token: string, method: string, path: string, b: unknown) => {
    const res = await fetch(`${srv.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(b),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as { id: string };
  };
  const entry = (tlp: string) => ({
    recipient: 'UA',
    avenue: 'energy',
    description: 'Transformers',
    pledgedAt: '2025-01-10',
    status: 'pledged',
    tlp,
  });

  it('support.created and support.updated reach the readers of the entry only', async () => {
    const [pl, de, ua] = await Promise.all([
      tokenFor(srv.services, 'PL'),
      tokenFor(srv.services, 'DE'),
      tokenFor(srv.services, 'UA'),
    ]);
    const deStream = await openStream(srv.base, de);
    const uaStream = await openStream(srv.base, ua);
    clients.push(deStream, uaStream);
    const amber = await call(pl, 'POST', '/support', entry('amber'));
    const red = await call(pl, 'POST', '/support', entry('red'));
    await call(pl, 'PATCH', `/support/${red.id}`, { status: 'delivered', at: '2025-02-01' });
    await call(pl, 'PATCH', `/support/${amber.id}`, { status: 'delivered', at: '2025-02-01' });
    const need = await call(pl, 'POST', '/humanitarian/needs', {
      area: 'UA',
      sector: 'energy',
      peopleInNeed: 10,
      asOf: '2025-01-01',
      source: 'https://example.org/n',
      tlp: 'green',
    });
    await uaStream.waitFor((es) => es.some((e) => e.event === 'humanitarian.created'), 10_000, 'humanitarian.created');
    await deStream.waitFor((es) => es.some((e) => e.event === 'humanitarian.created'), 10_000, 'humanitarian.created');
    const seen = (s: SseClient) => s.events.map((e) => [e.event, (JSON.parse(e.data) as { id: string }).id]);
    expect(seen(deStream)).toEqual([
      ['support.created', amber.id],
      ['support.updated', amber.id],
      ['humanitarian.created', need.id],
    ]);
    // A partner reads neither AMBER nor RED entries without an audience naming it.
    expect(seen(uaStream)).toEqual([['humanitarian.created', need.id]]);
  });
});
