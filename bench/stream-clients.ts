/**
 * Child process of bench/stream.bench.ts: holds the SSE subscribers in their own event loop, so
 * that reading 32 streams does not share the server's. Reports receipt latencies over IPC.
 */
import { openStream, type SseClient } from '../test/sse-client.ts';

interface Start {
  base: string;
  tokens: string[];
}

const now = () => performance.timeOrigin + performance.now();
const latencies: number[] = [];
let expectedPhase = '';
const clients: SseClient[] = [];

process.on('message', (m: { type: string; phase?: string } & Partial<Start>) => {
  void (async () => {
    if (m.type === 'start') {
      for (const token of m.tokens!) {
        clients.push(
          await openStream(m.base!, token, {
            onEvent: (e) => {
              // Cheaper than JSON.parse for 16k events/s: the payload is {"id":…,"t":…,"phase":"…"}.
              const ti = e.data.indexOf('"t":');
              const pi = e.data.indexOf('"phase":"');
              const t = Number(e.data.slice(ti + 4, e.data.indexOf(',', ti)));
              const phase = e.data.slice(pi + 9, e.data.indexOf('"', pi + 9));
              if (phase === expectedPhase) latencies.push(now() - t);
            },
          }),
        );
      }
      process.send!({ type: 'ready' });
    } else if (m.type === 'phase') {
      expectedPhase = m.phase!;
      latencies.length = 0;
    } else if (m.type === 'collect') {
      process.send!({ type: 'latencies', latencies });
    } else if (m.type === 'stop') {
      for (const c of clients) c.close();
      process.exit(0);
    }
  })();
});
