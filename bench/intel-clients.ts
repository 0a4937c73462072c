/**
 * Child process of bench/intel.bench.ts: holds the 32 member SSE subscribers in their own event
 * loop and records when each incident.created event arrives (epoch ms), per subscriber.
 */
import { openStream, type SseClient } from '../test/sse-client.ts';

const now = () => performance.timeOrigin + performance.now();
const receipts: Array<[string, number]> = [];
const clients: SseClient[] = [];

process.on('message', (m: { type: string; base?: string; tokens?: string[] }) => {
  void (async () => {
    if (m.type === 'start') {
      for (const token of m.tokens!) {
        clients.push(
          await openStream(m.base!, token, {
            onEvent: (e) => {
              if (e.event !== 'incident.created') return;
              const i = e.data.indexOf('"id":"');
              receipts.push([e.data.slice(i + 6, e.data.indexOf('"', i + 6)), now()]);
            },
          }),
        );
      }
      process.send!({ type: 'ready' });
    } else if (m.type === 'collect') {
      process.send!({ type: 'receipts', receipts });
      receipts.length = 0;
    } else if (m.type === 'stop') {
      for (const c of clients) c.close();
      process.exit(0);
    }
  })();
});
