import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/log.ts';
import { createApp, createServices, type Services } from '../../main.ts';
import type { App } from '../../platform/http/app.ts';
import { indicator, until, userOf, write } from './federation.fixtures.ts';

const CLI = ['--import', 'tsx', 'src/cli.ts'];
const ENV = {
  BULWARK_FEDERATION_POLL_MS: '300',
  BULWARK_FEDERATION_RETRY_BASE_MS: '50',
  BULWARK_FEDERATION_RETRY_MAX_MS: '300',
  BULWARK_FEDERATION_PAGE: '50',
  BULWARK_SECRET_KEY: 'f'.repeat(64),
};

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  s.close();
  await once(s, 'close');
  return port;
}

/** The sending node, in this process, on a fixed port so that it can be stopped and started again. */
async function sender(dataDir: string, port: number): Promise<{ services: Services; app: App }> {
  const services = await createServices(loadConfig({ data: dataDir }, {}), { log: silentLogger });
  const app = await createApp(services);
  await app.listen({ port, host: '127.0.0.1' });
  return { services, app };
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [...CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...ENV, ...env },
  });
}

async function finished(c: ChildProcess): Promise<string> {
  let out = '';
  c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(c, 'exit')) as [number];
  if (code !== 0) throw new Error(`exit ${code}: ${out}`);
  return out;
}

async function serving(c: ChildProcess): Promise<void> {
  let out = '';
  await new Promise<void>((resolve, reject) => {
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    c.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

describe('a receiving node killed with SIGKILL, and a sending node down for a while (SQLite, child process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-fed-kill-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up after each, with every object exactly once', async () => {
    const port = await freePort();
    const aDir = join(dir, 'a');
    const bDir = join(dir, 'b');
    let a = await sender(aDir, port);
    const pl = await userOf(a.services, 'PL');
    const N = 1500;
    for (let i = 0; i < N; i += 500)
      await write(
        a.services,
        pl.actor,
        Array.from({ length: 500 }, (_, k) => indicator(`kill-${i + k}`)),
        { tlp: 'green' },
      );
    const lt = await userOf(a.services, 'LT');
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${lt.token}\n`, { mode: 0o600 });
    const added = await finished(
      run([
        'peer',
        'add',
        '--name',
        'a',
        '--url',
        `http://127.0.0.1:${port}/taxii2/alliance/`,
        '--user',
        lt.name,
        '--token-file',
        tokenFile,
        '--authors',
        'PL',
        '--data',
        bDir,
        '--json',
      ]),
    );
    expect(added).not.toContain(lt.token);
    // b's store, read beside the running node (WAL: readers do not block its writer).
    const count = () => {
      const db = new SQLite(join(bDir, 'bulwark.sqlite'), { readonly: true });
      try {
        return Number(db.prepare("select count(*) from objects where author = 'PL'").pluck().get());
      } finally {
        db.close();
      }
    };
    let b = run(['serve', '--port', '0', '--data', bDir]);
    children.push(b);
    await serving(b);
    await until('b to be part-way', async () => count() > 0, 30_000);
    b.kill('SIGKILL');
    await once(b, 'exit');
    const partial = count();
    expect(partial).toBeGreaterThan(0);
    b = run(['serve', '--port', '0', '--data', bDir]);
    children.push(b);
    await serving(b);
    await until('b to catch up after the kill', async () => count() === N, 30_000);

    // The sending node goes away; b keeps trying; meanwhile a's store takes more objects.
    await a.app.close();
    await a.services.close();
    const one = await createServices(loadConfig({ data: aDir }, {}), { log: silentLogger, profile: 'one-shot' });
    const pl2 = await userOf(one, 'PL');
    await write(
      one,
      pl2.actor,
      Array.from({ length: 100 }, (_, k) => indicator(`later-${k}`)),
      { tlp: 'green' },
    );
    await one.close();
    const peerState = () => {
      const db = new SQLite(join(bDir, 'bulwark.sqlite'), { readonly: true });
      try {
        return db.prepare('select state, errors, last_error from federation_peers').get() as {
          state: string;
          errors: number;
          last_error: string | null;
        };
      } finally {
        db.close();
      }
    };
    await until('b to notice a is down', async () => peerState().state === 'retrying', 30_000);
    expect(peerState().last_error).toMatch(/ECONNREFUSED|socket|connect/i);
    a = await sender(aDir, port);
    await until('b to catch up after a came back', async () => count() === N + 100, 30_000);
    await until('b connected again', async () => peerState().state === 'connected', 30_000);
    const listed = await finished(run(['peer', 'list', '--json', '--data', bDir]));
    expect(JSON.parse(listed)).toMatchObject({ items: [{ name: 'a', authors: ['PL'], refused: 0 }] });
    expect(listed).not.toContain(lt.token);
    b.kill('SIGTERM');
    await once(b, 'exit');
    await a.app.close();
    await a.services.close();
    const db = new SQLite(join(bDir, 'bulwark.sqlite'), { readonly: true });
    const dup = db
      .prepare("select count(*) from (select id from objects where author = 'PL' group by id having count(*) > 1)")
      .pluck()
      .get();
    db.close();
    expect(dup).toBe(0);
  }, 180_000);
});
