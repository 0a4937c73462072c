/**
 * Child process of bench/intel.bench.ts: holds the 32 member SSE subscribers in their own event
 * loop and records when each incident.created event arrives (epoch ms), per subscriber.
 */
import { now, runSubscriberChild } from './sse-child.ts';

const receipts: Array<[string, number]> = [];

runSubscriberChild(
  (e) => {
    if (e.event !== 'incident.created') return;
    const i = e.data.indexOf('"id":"');
    receipts.push([e.data.slice(i + 6, e.data.indexOf('"', i + 6)), now()]);
  },
  (m) => {
    if (m.type === 'collect') {
      process.send!({ type: 'receipts', receipts });
      receipts.length = 0;
    }
  },
);
