import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, tokenFor, type Running } from '../../../test/stream-fixture.ts';
import { openStream, type SseClient } from '../../../test/sse-client.ts';

const body = (over: Record<string, unknown>) => ({
  title: 'Fake evacuation SMS wave',
  description: 'SMS claiming evacuation of Vilnius',
  category: 'disinformation',
  occurredAt: '2026-04-01T06:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'amber',
  observables: [{ type: 'domain-name', value: 'evac-alert[.]example' }],
  ...over,
});

describe('incidents on the live stream', () => {
  let srv: Running;
  const clients: SseClient[] = [];
  beforeEach(async () => {
    srv = await startServer({ events: { pollMs: 50 } });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await srv.stop();
  });
  const post = async (token: string, b: unknown) => {
    const res = await fetch(`${srv.base}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(b),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  };

  it("a report in one member's name reaches another member's stream already correlated; hidden ones never do", async () => {
    const [pl, lt, ua] = await Promise.all([
      tokenFor(srv.services, 'PL'),
      tokenFor(srv.services, 'LT'),
      tokenFor(srv.services, 'UA'),
    ]);
    const first = await post(lt, body({}));
    const ltStream = await openStream(srv.base, lt);
    const uaStream = await openStream(srv.base, ua);
    clients.push(ltStream, uaStream);
    const hidden = await post(pl, body({ tlp: 'red', title: 'red one' }));
    const second = await post(pl, body({ title: 'Same SMS wave seen in Poland', affectedMembers: ['PL', 'LT'] }));
    await ltStream.waitFor((es) => es.some((e) => e.event === 'correlation.found'), 10_000, 'correlation.found');
    const created = ltStream.events
      .filter((e) => e.event === 'incident.created')
      .map((e) => JSON.parse(e.data) as { id: string; title: string; affectedMembers: string[] });
    expect(created.map((c) => c.id)).toEqual([second.id]);
    expect(created[0]).toMatchObject({ title: 'Same SMS wave seen in Poland', affectedMembers: ['PL', 'LT'] });
    const links = ltStream.events
      .filter((e) => e.event === 'correlation.found')
      .map((e) => JSON.parse(e.data) as { incidents: string[]; reasons: string[] });
    expect(links).toHaveLength(1);
    expect(links[0]!.incidents.sort()).toEqual([first.id, second.id].sort());
    expect(links[0]!.reasons).toContain('shared domain-name evac-alert.example');
    const all = JSON.stringify(ltStream.events);
    expect(all).not.toContain(hidden.id);
    // UA is a partner: amber without audience is not releasable to it, so it sees neither event.
    await new Promise((r) => setTimeout(r, 300));
    expect(uaStream.events.filter((e) => e.event.startsWith('incident.') || e.event === 'correlation.found')).toEqual(
      [],
    );
  });

  it("announces an incident's links to one release in one event, and each release's links only to its readers", async () => {
    const [pl, lt, de, ua] = await Promise.all([
      tokenFor(srv.services, 'PL'),
      tokenFor(srv.services, 'LT'),
      tokenFor(srv.services, 'DE'),
      tokenFor(srv.services, 'UA'),
    ]);
    const a = await post(lt, body({ tlp: 'green', title: 'A' }));
    const b = await post(pl, body({ tlp: 'green', title: 'B' }));
    const c = await post(pl, body({ tlp: 'amber', title: 'C' })); // members only: UA, a partner, may not read it
    const ltStream = await openStream(srv.base, lt);
    const uaStream = await openStream(srv.base, ua);
    clients.push(ltStream, uaStream);
    const x = await post(de, body({ tlp: 'green', title: 'X' }));
    const found = (s: SseClient) =>
      s.events
        .filter((e) => e.event === 'correlation.found')
        .map((e) => JSON.parse(e.data) as { id: string; incidents: string[]; links?: Array<{ incidents: string[] }> });
    const pairs = (e: { incidents: string[]; links?: Array<{ incidents: string[] }> }) =>
      (e.links ?? [e]).map((l) => [...l.incidents].sort().join(' ')).sort();
    const pair = (o: { id: string }) => [x.id, o.id].sort().join(' ');
    await ltStream.waitFor(() => found(ltStream).length === 2, 10_000, 'two announcements');
    await uaStream.waitFor(() => found(uaStream).length === 1, 10_000, 'one announcement');
    // X links to A, B and C: A and B release to everyone who reads green, C only to members.
    const lts = found(ltStream).sort((p, q) => (p.links?.length ?? 1) - (q.links?.length ?? 1));
    expect(lts.map(pairs)).toEqual([[pair(c)], [pair(a), pair(b)].sort()]);
    expect(found(uaStream).map(pairs)).toEqual([[pair(a), pair(b)].sort()]);
    await new Promise((r) => setTimeout(r, 300));
    expect(found(uaStream)).toHaveLength(1);
    expect(JSON.stringify(uaStream.events)).not.toContain(c.id);
  });
});
