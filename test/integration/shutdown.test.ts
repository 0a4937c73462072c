import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';

const TAXII = 'application/taxii+json;version=2.1';

describe('graceful shutdown', () => {
  it('SIGTERM during a large TAXII write lets it finish (202, all stored), then exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-stop-'));
    try {
      const cli = (...a: string[]) =>
        spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...a, '--data', dir], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      const add = cli('user', 'add', '--member', 'PL', '--name', 'stopper', '--json');
      let out = '';
      add.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await once(add, 'exit');
      const { token } = JSON.parse(out) as { token: string };
      // Configured by the environment alone (docs/operations.md): flags' defaults must not hide it.
      const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PORT: '0', BULWARK_DATA: dir },
      });
      let banner = '';
      server.stdout.on('data', (d: Buffer) => (banner += d.toString()));
      const t0 = Date.now();
      while (!/listening on (http:\/\/\S+)/.test(banner) && Date.now() - t0 < 30_000)
        await new Promise((r) => setTimeout(r, 50));
      const url = /listening on (http:\/\/\S+)/.exec(banner)![1]!;
      const objects = Array.from({ length: 20_000 }, (_, i) => ({
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${randomUUID()}`,
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: `i${i}`,
        pattern: "[ipv4-addr:value = '10.0.0.1']",
        pattern_type: 'stix',
        valid_from: '2024-01-01T00:00:00Z',
      }));
      const body = Buffer.from(JSON.stringify({ objects }));
      const req = http.request(`${url}taxii2/alliance/collections/alliance/objects/`, {
        method: 'POST',
        headers: { accept: TAXII, 'content-type': TAXII, authorization: `Bearer ${token}` },
      });
      const answered = once(req, 'response') as Promise<[http.IncomingMessage]>;
      req.end(body);
      // The signal comes once the whole body (5 MB) has left for the socket: more than the kernel buffers
      // while nobody reads, so the server has begun reading the request. A fixed wait raced it on a loaded
      // machine, and a request that had not arrived yet was (rightly) refused with 503.
      await once(req, 'finish');
      server.kill('SIGTERM');
      const [res] = await answered;
      let text = '';
      for await (const chunk of res) text += String(chunk);
      expect(res.statusCode, text).toBe(202);
      expect((JSON.parse(text) as { success_count: number }).success_count).toBe(objects.length);
      const [code] = (await once(server, 'exit')) as [number];
      expect(code).toBe(0);
      const db = new SQLite(join(dir, 'bulwark.sqlite'), { readonly: true });
      expect((db.prepare("select count(*) as n from objects where type = 'indicator'").get() as { n: number }).n).toBe(
        objects.length,
      );
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
