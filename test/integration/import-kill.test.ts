import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';

const N = 150_000;

async function writeBundle(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
  for (let i = 0; i < N; i++) {
    const o = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: `indicator ${i}`,
      pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
      pattern_type: 'stix',
      valid_from: '2024-01-01T00:00:00Z',
      description: 'x'.repeat(200),
    };
    if (!out.write(`${i ? ',' : ''}${JSON.stringify(o)}`)) await once(out, 'drain');
  }
  out.end(']}');
  await once(out, 'finish');
}

describe('an import killed with SIGKILL leaves the whole bundle or none of it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-kill-'));
    await writeBundle(join(dir, 'big.json'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('store opens after the kill, holds 0 or all objects, and passes an integrity check; a re-import then completes', async () => {
    const data = join(dir, 'data');
    const cli = ['--import', 'tsx', 'src/cli.ts'];
    const child = spawn(process.execPath, [...cli, 'import', join(dir, 'big.json'), '--member', 'PL', '--data', data], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    // Wait until the import is clearly under way (the WAL grows), then kill it hard.
    const wal = join(data, 'bulwark.sqlite-wal');
    const t0 = Date.now();
    while (Date.now() - t0 < 30_000) {
      if (existsSync(wal) && statSync(wal).size > 4 * 1024 * 1024) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(output).not.toMatch(/accepted/); // still running: no summary yet
    child.kill('SIGKILL');
    await once(child, 'exit');

    const db = new SQLite(join(data, 'bulwark.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = (db.prepare('select count(*) as n from objects where author = ?').get('PL') as { n: number }).n; // the store's own TLP definitions aside
    db.close();
    expect([0, N]).toContain(n);

    const again = spawn(
      process.execPath,
      [...cli, 'import', join(dir, 'big.json'), '--member', 'PL', '--data', data, '--json'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out2 = '';
    again.stdout.on('data', (d: Buffer) => (out2 += d.toString()));
    const [code] = (await once(again, 'exit')) as [number];
    expect(code).toBe(0);
    const summary = JSON.parse(out2.trim()) as { accepted: number; duplicates: number };
    expect(summary.accepted + summary.duplicates).toBe(N);
    const db2 = new SQLite(join(data, 'bulwark.sqlite'), { readonly: true });
    expect((db2.prepare('select count(*) as n from objects where author = ?').get('PL') as { n: number }).n).toBe(N);
    db2.close();
  }, 180_000);
});
