/**
 * Event-loop block of a large TAXII POST: a server as `bulwark serve` runs it (SQLite file store,
 * reader thread), one POST of an envelope of N synthetic objects, and meanwhile a bystander that asks
 * /healthz every 5 ms. Reports the longest event-loop delay of the serving thread
 * (perf_hooks.monitorEventLoopDelay) and the bystander's slowest answer during the POST.
 *
 *   npx tsx bench/taxii-post.bench.ts [objects=25000] [runs=3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp, createServices } from '../src/main.ts';
import { loadConfig } from '../src/platform/config.ts';
import { silentLogger } from '../src/platform/log.ts';
import { tokenFor } from '../test/stream-fixture.ts';
import { fmt, machine, syntheticObject } from './util.ts';

const N = Number(process.argv[2] ?? 25_000);
const RUNS = Number(process.argv[3] ?? 3);
const TAXII = 'application/taxii+json;version=2.1';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-taxii-post-'));
const config = { ...loadConfig({ data: dir }, {}), maxBodyBytes: 64 * 1024 * 1024, rateLimitPerMinute: 0 };
const services = await createServices(config, { log: silentLogger });
const app = await createApp(services);
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const token = await tokenFor(services, 'PL');
console.log(machine());
for (let run = 0; run < RUNS; run++) {
  const body = JSON.stringify({ objects: Array.from({ length: N }, (_, i) => syntheticObject(run * N + i)) });
  const h = monitorEventLoopDelay({ resolution: 1 });
  let slowest = 0;
  let asked = 0;
  let done = false;
  const bystander = (async () => {
    while (!done) {
      const t = performance.now();
      await (await fetch(`${base}/healthz`)).text();
      slowest = Math.max(slowest, performance.now() - t);
      asked++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  h.enable();
  const t0 = performance.now();
  const r = await fetch(`${base}/taxii2/alliance/collections/alliance/objects/`, {
    method: 'POST',
    headers: { accept: TAXII, 'content-type': TAXII, authorization: `Bearer ${token}` },
    body,
  });
  const status = (await r.json()) as { success_count: number };
  const ms = performance.now() - t0;
  h.disable();
  done = true;
  await bystander;
  console.log(
    `POST ${fmt(N)} objects (${fmt(body.length / 1048576, 1)} MiB): ${r.status}, ${fmt(status.success_count)} stored in ${fmt(ms)} ms; event loop: max delay ${fmt(h.max / 1e6)} ms, p99 ${fmt(h.percentile(99) / 1e6)} ms; bystander /healthz: slowest ${fmt(slowest)} ms over ${asked} requests`,
  );
}
await app.close();
await services.close();
rmSync(dir, { recursive: true, force: true });
