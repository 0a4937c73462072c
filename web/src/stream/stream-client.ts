/**
 * The live-stream client. EventSource cannot send an Authorization header, so this reads
 * GET /api/v1/stream with fetch() and parses the body itself. It resumes with Last-Event-ID
 * after every drop (the server replays what was missed: catch-up), backs off exponentially
 * with jitter, honours the server's `retry:` hint, notices a silent dead connection with an
 * idle watchdog, and stops for good on 401 (the token is no longer valid).
 */
import { SseParser, type SseMessage } from './sse-parser.ts';

export type StreamState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'live'; since: number }
  | { kind: 'reconnecting'; attempt: number; inMs: number; reason: string }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'unauthorized' }
  | { kind: 'closed' };

export interface StreamOptions {
  url: string;
  token: () => string | null;
  onMessage: (m: SseMessage) => void;
  onState: (s: StreamState) => void;
  /** Resume point for the first connection (e.g. kept from an earlier session). */
  lastEventId?: string;
  fetchImpl?: typeof fetch;
  /** Waits ms, resolving early when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** While the route answers 404 (feature not deployed yet), try again this often. */
  unavailableRetryMs?: number;
  /** No byte (not even a heartbeat comment) for this long: the connection is presumed dead. */
  idleTimeoutMs?: number;
}

export interface StreamHandle {
  close(): void;
  /** Drops the current connection and reconnects at once (e.g. the user pressed "retry"). */
  reconnectNow(): void;
  lastEventId(): string;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base / 2 + (random() * base) / 2);
}

export function openStream(opts: StreamOptions): StreamHandle {
  const f = opts.fetchImpl ?? fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const initial = opts.initialDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 30_000;
  const idleMs = opts.idleTimeoutMs ?? 45_000; // the server sends a heartbeat every 15 s
  const unavailableMs = opts.unavailableRetryMs ?? 30_000;

  let closed = false;
  let lastId = opts.lastEventId ?? '';
  let current: AbortController | null = null;
  let wake: AbortController = new AbortController();
  let liveSince = 0;

  const parser = new SseParser((m) => {
    if (m.id) lastId = m.id;
    opts.onMessage(m);
  });

  async function connectOnce(): Promise<{ outcome: 'ended' | 'unavailable' | 'unauthorized'; reason: string }> {
    const ctl = new AbortController();
    current = ctl;
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
    const token = opts.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (lastId) headers['Last-Event-ID'] = lastId;
    const res = await f(opts.url, { headers, signal: ctl.signal, cache: 'no-store' });
    if (res.status === 401) return { outcome: 'unauthorized', reason: 'token rejected' };
    if (res.status === 404) return { outcome: 'unavailable', reason: 'this server has no live stream (404)' };
    if (res.status === 400 && lastId) {
      // The server does not know the saved position (an id from before an upgrade, another store): go live from now.
      lastId = '';
      await res.body?.cancel();
      return { outcome: 'ended', reason: 'the server did not know where to resume (400); resuming from now' };
    }
    if (!res.ok || !res.body) return { outcome: 'ended', reason: `server answered ${res.status}` };
    parser.reset();
    liveSince = now();
    opts.onState({ kind: 'live', since: liveSince });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let silent = false;
    const onIdle = (): void => {
      silent = true;
      ctl.abort();
      reader.cancel().catch(() => undefined);
    };
    let idle = setTimeout(onIdle, idleMs);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (silent)
          return { outcome: 'ended', reason: `no data for ${Math.round(idleMs / 1000)} s: connection presumed dead` };
        if (done) return { outcome: 'ended', reason: 'the server closed the stream' };
        clearTimeout(idle);
        idle = setTimeout(onIdle, idleMs);
        parser.push(value);
      }
    } catch (e) {
      if (silent)
        return { outcome: 'ended', reason: `no data for ${Math.round(idleMs / 1000)} s: connection presumed dead` };
      throw e;
    } finally {
      clearTimeout(idle);
      reader.cancel().catch(() => undefined);
    }
  }

  async function run(): Promise<void> {
    let attempt = 0;
    while (!closed) {
      opts.onState({ kind: 'connecting', attempt });
      let reason: string;
      liveSince = 0;
      try {
        const r = await connectOnce();
        if (closed) break;
        if (r.outcome === 'unauthorized') {
          opts.onState({ kind: 'unauthorized' });
          return;
        }
        if (r.outcome === 'unavailable') {
          opts.onState({ kind: 'unavailable', reason: r.reason });
          await sleep(unavailableMs, wake.signal);
          wake = new AbortController();
          continue;
        }
        reason = r.reason;
      } catch (e) {
        if (closed) break;
        reason = (e as Error).name === 'AbortError' ? 'connection dropped' : `network error: ${(e as Error).message}`;
      }
      // a connection that stayed up a while resets the back-off
      if (liveSince > 0 && now() - liveSince >= 5000) attempt = 0;
      const delay =
        parser.retryMs !== undefined && attempt === 0 ? parser.retryMs : backoffDelay(attempt, initial, max, random);
      attempt++;
      opts.onState({ kind: 'reconnecting', attempt, inMs: delay, reason });
      await sleep(delay, wake.signal);
      wake = new AbortController();
    }
    opts.onState({ kind: 'closed' });
  }

  void run();

  return {
    close() {
      closed = true;
      current?.abort();
      wake.abort();
    },
    reconnectNow() {
      current?.abort();
      wake.abort();
    },
    lastEventId: () => lastId,
  };
}
