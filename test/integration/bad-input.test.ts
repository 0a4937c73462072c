import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { testServer, type TestServer } from '../server.ts';

const TAXII = 'application/taxii+json;version=2.1';
const ind = (extra: Record<string, unknown> = {}) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
  pattern: "[url:value = 'http://x.example/']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', ...extra,
});

describe('bad input: a clear 4xx, nothing lost, server still healthy', () => {
  let s: TestServer;
  let token: string;
  const kept = ind();
  beforeEach(async () => {
    s = await testServer({ maxBodyBytes: 32 * 1024 * 1024 });
    token = await s.token('PL');
    await post({ objects: [kept] });
  });
  afterEach(async () => s.close());

  const post = (body: unknown, raw?: string) =>
    s.app.inject({ method: 'POST', url: '/taxii2/alliance/collections/alliance/objects/', headers: { accept: TAXII, 'content-type': TAXII, authorization: `Bearer ${token}` }, payload: raw ?? JSON.stringify(body) });
  const failures = async (objects: unknown[]) => {
    const r = await post({ objects });
    expect(r.statusCode).toBe(202);
    return r.json<{ failures: Array<{ message: string }> }>().failures.map((f) => f.message).join('\n');
  };

  it('each kind of bad object is rejected with the id and property named', async () => {
    const bad = ind({ id: `indicator--${randomUUID()}` });
    expect(await failures([{ ...ind(), name: 42 }])).toMatch(/name must be a string/);
    expect(await failures([ind({ description: 'x'.repeat(10 * 1024 * 1024) })])).toMatch(/larger than/);
    let deep: unknown = 'x';
    for (let i = 0; i < 1000; i++) deep = { d: deep };
    expect(await failures([ind({ x_deep: deep })])).toMatch(/nested deeper/);
    expect(await failures([{ ...ind(), id: 'indicator--1234' }])).toMatch(/id must be/);
    expect(await failures([ind({ created: '2024-01-01T00:00:00.000' })])).toMatch(/created must be a UTC timestamp/);
    await post({ objects: [bad] });
    expect(await failures([{ ...bad, name: 'other content' }])).toMatch(new RegExp(`${bad.id}.*same id and version`));
  });

  it('truncated JSON and wrong envelope types answer 400; a 40 MB body answers 413', async () => {
    expect((await post(null, '{"objects":[{"type":"indic')).statusCode).toBe(400);
    expect((await post({ objects: 'many' })).statusCode).toBe(400);
    expect((await post([1, 2])).statusCode).toBe(400);
    const huge = await post(null, `{"objects":[{"s":"${'y'.repeat(40 * 1024 * 1024)}"}]}`);
    expect(huge.statusCode).toBe(413);
  });

  afterEach(async () => {
    const r = await s.app.inject({ url: `/taxii2/alliance/collections/alliance/objects/${kept.id}/`, headers: { accept: TAXII, authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(200);
    expect((await s.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('bad input to the import CLI', () => {
  it('a truncated file imports nothing and exits 1; an unknown TLP is refused naming the option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-bad-'));
    try {
      const file = join(dir, 'cut.json');
      writeFileSync(file, `{"type":"bundle","objects":[${JSON.stringify(ind())},${JSON.stringify(ind()).slice(0, 40)}`);
      const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--data', join(dir, 'data')], { encoding: 'utf8' });
      const r = cli('import', file, '--member', 'PL');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/not imported: truncated JSON/);
      const tlp = cli('import', file, '--member', 'PL', '--tlp', 'purple');
      expect(tlp.status).toBe(2);
      expect(tlp.stderr).toMatch(/--tlp/);
      const exp = cli('export', '--member', 'PL');
      expect((JSON.parse(exp.stdout) as { objects: unknown[] }).objects).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
