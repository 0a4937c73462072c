import { describe, expect, it } from 'vitest';
import { backoffDelay, openStream, type StreamState } from './stream-client.ts';
import type { SseMessage } from './sse-parser.ts';

/** A scripted server: each connection gets the next response; records the request headers. */
function scriptedFetch(responses: Array<() => Response>) {
  const requests: Array<Record<string, string>> = [];
  const impl = (async (_url: string | URL | Request, init?: RequestInit) => {
    requests.push({ ...(init?.headers as Record<string, string>) });
    const next = responses.shift();
    if (!next) return new Promise<Response>(() => undefined); // hangs like an idle stream
    return next();
  }) as typeof fetch;
  return { impl, requests };
}

function sse(text: string, status = 200): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(text));
        c.close();
      },
    }),
    { status, headers: { 'content-type': 'text/event-stream' } },
  );
}

const instant = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!cond()) throw new Error('condition never became true');
}

describe('openStream', () => {
  it('sends the token, resumes with Last-Event-ID after a drop, and reports its state', async () => {
    const { impl, requests } = scriptedFetch([
      () => sse('id: 10\nevent: incident.created\ndata: {"id":"incident--a"}\n\n'),
      () => sse('id: 11\nevent: correlation.found\ndata: {"id":"x"}\n\n'),
    ]);
    const messages: SseMessage[] = [];
    const states: StreamState['kind'][] = [];
    const h = openStream({
      url: '/api/v1/stream',
      token: () => 'tok',
      onMessage: (m) => messages.push(m),
      onState: (s) => states.push(s.kind),
      fetchImpl: impl,
      sleep: instant,
    });
    await until(() => requests.length === 3);
    h.close();
    expect(messages.map((m) => m.id)).toEqual(['10', '11']);
    expect(requests[0]!.Authorization).toBe('Bearer tok');
    expect(requests[0]!['Last-Event-ID']).toBeUndefined();
    expect(requests[1]!['Last-Event-ID']).toBe('10');
    expect(requests[2]!['Last-Event-ID']).toBe('11');
    expect(states.slice(0, 4)).toEqual(['connecting', 'live', 'reconnecting', 'connecting']);
    expect(h.lastEventId()).toBe('11');
  });

  it('drops a resume position the server refuses (400) and goes live from now', async () => {
    const { impl, requests } = scriptedFetch([
      () => new Response('{}', { status: 400 }),
      () => sse('id: AAAAAAAAAAAAAAAAAAAAAA\ndata: {}\n\n'),
    ]);
    const states: StreamState['kind'][] = [];
    const h = openStream({
      url: '/s',
      token: () => 't',
      lastEventId: '41',
      onMessage: () => undefined,
      onState: (s) => states.push(s.kind),
      fetchImpl: impl,
      sleep: instant,
    });
    await until(() => requests.length >= 3);
    h.close();
    expect(requests[0]!['Last-Event-ID']).toBe('41');
    expect(requests[1]!['Last-Event-ID']).toBeUndefined();
    expect(states.slice(0, 4)).toEqual(['connecting', 'reconnecting', 'connecting', 'live']);
    expect(h.lastEventId()).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  it('stops for good on 401', async () => {
    const { impl, requests } = scriptedFetch([() => new Response('{}', { status: 401 })]);
    const states: StreamState['kind'][] = [];
    openStream({
      url: '/s',
      token: () => 't',
      onMessage: () => undefined,
      onState: (s) => states.push(s.kind),
      fetchImpl: impl,
      sleep: instant,
    });
    await until(() => states.includes('unauthorized'));
    await new Promise((r) => setTimeout(r, 20));
    expect(requests).toHaveLength(1);
  });

  it('says "unavailable" on 404 and keeps checking until the route exists', async () => {
    const { impl, requests } = scriptedFetch([
      () => new Response('{}', { status: 404 }),
      () => sse('id: 1\ndata: {}\n\n'),
    ]);
    const states: StreamState['kind'][] = [];
    const h = openStream({
      url: '/s',
      token: () => 't',
      onMessage: () => undefined,
      onState: (s) => states.push(s.kind),
      fetchImpl: impl,
      sleep: instant,
    });
    await until(() => requests.length >= 3);
    h.close();
    expect(states.slice(0, 4)).toEqual(['connecting', 'unavailable', 'connecting', 'live']);
  });

  it('retries after network errors with growing delays', async () => {
    const delays: number[] = [];
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const h = openStream({
      url: '/s',
      token: () => 't',
      onMessage: () => undefined,
      onState: () => undefined,
      fetchImpl: failing,
      random: () => 1,
      sleep: async (ms) => {
        delays.push(ms);
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    await until(() => delays.length >= 4);
    h.close();
    expect(delays.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
  });

  it('presumes a silent connection dead after the idle timeout and reconnects', async () => {
    const { impl, requests } = scriptedFetch([
      () =>
        new Response(
          new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('id: 5\ndata: {}\n\n')) }),
          { status: 200 },
        ),
      () => sse(''),
    ]);
    const reasons: string[] = [];
    const h = openStream({
      url: '/s',
      token: () => 't',
      onMessage: () => undefined,
      fetchImpl: impl,
      sleep: instant,
      idleTimeoutMs: 30,
      onState: (s) => {
        if (s.kind === 'reconnecting') reasons.push(s.reason);
      },
    });
    await until(() => requests.length >= 2);
    h.close();
    expect(reasons[0]).toMatch(/presumed dead/);
    expect(requests[1]!['Last-Event-ID']).toBe('5');
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with jitter in the upper half', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(50, 1000, 30_000, () => 1)).toBe(30_000);
  });
});
