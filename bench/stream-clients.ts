/**
 * Child process of bench/stream.bench.ts: holds the SSE subscribers in their own event loop, so
 * that reading 32 streams does not share the server's. Reports receipt latencies over IPC.
 */
import { now, runSubscriberChild } from './sse-child.ts';

const latencies: number[] = [];
let expectedPhase = '';

runSubscriberChild(
  (e) => {
    // Cheaper than JSON.parse for 16k events/s: the payload is {"id":…,"t":…,"phase":"…"}.
    const ti = e.data.indexOf('"t":');
    const pi = e.data.indexOf('"phase":"');
    const t = Number(e.data.slice(ti + 4, e.data.indexOf(',', ti)));
    const phase = e.data.slice(pi + 9, e.data.indexOf('"', pi + 9));
    if (phase === expectedPhase) latencies.push(now() - t);
  },
  (m) => {
    if (m.type === 'phase') {
      expectedPhase = m.phase!;
      latencies.length = 0;
    } else if (m.type === 'collect') {
      process.send!({ type: 'latencies', latencies });
    }
  },
);
