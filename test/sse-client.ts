import http from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/** A minimal Server-Sent Events client over node:http, for tests and benchmarks. */
export interface SseClient {
  status: number;
  events: SseEvent[];
  comments: string[];
  /** Resolves when the server ended or dropped the stream. */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Resolves once `pred(events)` holds; rejects after `timeoutMs`. */
  waitFor(pred: (events: SseEvent[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** Stops reading the socket (a slow consumer) / reads again. */
  pause(): void;
  resume(): void;
  close(): void;
  lastId(): string | undefined;
}

export interface OpenOptions {
  lastEventId?: string;
  query?: string;
  /** Receives each event instead of `events` (which then stays empty: no history kept). */
  onEvent?: (e: SseEvent) => void;
}

export function openStream(base: string, token: string, opts: OpenOptions = {}): Promise<SseClient> {
  const url = new URL(`/api/v1/stream${opts.query ? `?${opts.query}` : ''}`, base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (opts.lastEventId !== undefined) headers['last-event-id'] = opts.lastEventId;
    const req = http.request(url, { headers, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let ended = false;
      let buf = '';
      let onEnd: () => void = () => undefined;
      const endedP = new Promise<void>((r) => (onEnd = r));
      const finish = () => {
        if (ended) return;
        ended = true;
        onEnd();
        for (const w of waiters) w();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          let id: string | undefined;
          let event = 'message';
          const data: string[] = [];
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) {
              data.push(line.slice(6));
              isEvent = true;
            }
          }
          if (isEvent) {
            const e = { id, event, data: data.join('\n') };
            if (opts.onEvent) opts.onEvent(e);
            else events.push(e);
          }
        }
        for (const w of waiters) w();
      });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      const client: SseClient = {
        status: res.statusCode ?? 0,
        events,
        comments,
        ended: endedP,
        isEnded: () => ended,
        waitFor(pred, timeoutMs = 10_000, what = 'condition') {
          return new Promise<void>((ok, fail) => {
            const check = () => {
              if (pred(events)) {
                cleanup();
                ok();
              } else if (ended) {
                cleanup();
                fail(new Error(`stream ended before ${what} (${events.length} events)`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`timed out waiting for ${what} (${events.length} events)`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => {
          req.destroy();
          finish();
        },
        lastId: () => [...events].reverse().find((e) => e.id !== undefined)?.id,
      };
      resolve(client);
    });
    req.end();
  });
}
