import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, startServer, type E2eServer } from './harness.ts';

let server: E2eServer;

beforeAll(async () => {
  ensureConsoleBuilt();
  server = await startServer();
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('console assets', () => {
  it('sends hashed assets compressed and cached for good, and index.html revalidated', async () => {
    const index = await fetch(server.url, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const plain = await fetch(new URL(script!, server.url), { headers: { 'accept-encoding': 'identity' } });
    const size = (await plain.arrayBuffer()).byteLength;
    for (const enc of ['br', 'gzip']) {
      const res = await fetch(new URL(script!, server.url), { headers: { 'accept-encoding': enc } });
      expect(res.headers.get('content-encoding')).toBe(enc);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Number(res.headers.get('content-length'))).toBeLessThan(size / 2);
    }
    // the entry script is split from the pages: none of them is in it
    expect(html).not.toContain('CampaignsView');
  });
});
