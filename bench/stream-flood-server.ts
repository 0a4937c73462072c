/**
 * Server process of bench/stream-flood.bench.ts, so that its RSS is the server's alone. Starts a server
 * (SQLite in a temp dir), makes the users asked for, seeds outbox events on request, and reports its
 * resident set size: the current value and the peak sampled every 50 ms.
 */
import { emit, startServer, tokenFor } from '../test/stream-fixture.ts';

const srv = await startServer({ env: process.env });
let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
setInterval(sample, 50).unref();

process.on('message', (m: { type: string; n?: number; users?: number }) => {
  void (async () => {
    if (m.type === 'users') {
      const tokens: string[] = [];
      for (let i = 0; i < m.users!; i++) tokens.push(await tokenFor(srv.services, 'PL'));
      process.send!({ type: 'users', tokens, poster: await tokenFor(srv.services, 'LT') });
    } else if (m.type === 'seed') {
      const pad = 'x'.repeat(400);
      for (let i = 0; i < m.n!; i += 500) {
        await emit(
          srv.services,
          Array.from({ length: Math.min(500, m.n! - i) }, (_, j) => ({
            event: 'incident.created',
            objectId: `incident--seed-${i + j}`,
            author: 'PL',
            tlp: 'green' as const,
            audience: [],
            payload: { title: pad },
          })),
        );
      }
      await srv.services.events.relay.flush();
      process.send!({ type: 'seeded' });
    } else if (m.type === 'rss') {
      sample();
      process.send!({ type: 'rss', rss: process.memoryUsage().rss, peak });
      if (m.n === 1) peak = 0;
    } else if (m.type === 'stop') {
      await srv.stop();
      process.exit(0);
    }
  })();
});
process.send!({ type: 'ready', base: srv.base });
