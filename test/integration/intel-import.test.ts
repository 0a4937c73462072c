import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../server.ts';
import type { TestDatabase } from '../databases.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { TLP2_MARKING_IDS } from '../../src/kernel/access/tlp.ts';
import { systemActor } from '../../src/kernel/access/actor.ts';

/** `bulwark import` of a narrower version of an incident updates intel's views as a REST edit would. */
const inc = (over: Record<string, unknown>) => ({
  title: 'DDoS',
  description: '',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'green',
  observables: [
    { type: 'domain-name', value: 'c2.import.example' },
    { type: 'url', value: 'https://c2.import.example/x' },
  ],
  ...over,
});

describe('bulwark import and intel views', () => {
  it('an imported TLP:RED version hides the incident from correlations, picture, campaigns and lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-intel-import-'));
    const data = join(dir, 'data');
    const db: TestDatabase = { name: 'sqlite', open: () => openDatabase({ dataDir: data }) };
    let s: TestServer | undefined;
    try {
      s = await testServer({ db });
      const [pl, lt] = [await s.token('PL'), await s.token('LT')];
      const call = (srv: TestServer, token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
        srv.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
      const a = (await call(s, pl, 'POST', '/api/v1/incidents', inc({ title: 'Imported narrowing' }))).json()
        .id as string;
      const b = (await call(s, lt, 'POST', '/api/v1/incidents', inc({}))).json().id as string;
      const campaign = (
        await call(s, lt, 'POST', '/api/v1/campaigns', { name: 'wave', incidents: [a, b], tlp: 'green' })
      ).json().id as string;
      expect((await call(s, lt, 'GET', `/api/v1/incidents/${b}/correlations`)).body).toContain(a);
      const o = (await s.services.knowledge.get(systemActor('test'), a)).object as { modified: string };
      await s.close();
      s = undefined;

      const file = join(dir, 'narrow.json');
      writeFileSync(
        file,
        JSON.stringify({
          type: 'bundle',
          id: 'bundle--0b0e4f7e-8a1c-4d5e-9f00-1a2b3c4d5e6f',
          objects: [
            {
              ...o,
              modified: new Date(Date.parse(o.modified) + 1000).toISOString(),
              object_marking_refs: [TLP2_MARKING_IDS.red],
            },
          ],
        }),
      );
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli.ts', 'import', file, '--member', 'PL', '--data', data],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('1 accepted');

      s = await testServer({ db });
      const lt2 = await s.token('LT');
      expect((await call(s, lt2, 'GET', `/api/v1/incidents/${a}`)).statusCode).toBe(404);
      expect((await call(s, lt2, 'GET', `/api/v1/incidents/${b}/correlations`)).body).not.toContain(a);
      const pic = await call(s, lt2, 'GET', '/api/v1/picture');
      expect(pic.json().total).toBe(1);
      expect(pic.body).not.toContain('Imported narrowing');
      expect((await call(s, lt2, 'GET', '/api/v1/campaigns')).body).not.toContain(a);
      expect((await call(s, lt2, 'GET', `/api/v1/campaigns/${campaign}`)).json().incidents).toEqual([b]);
      expect((await call(s, lt2, 'GET', '/api/v1/incidents')).body).not.toContain(a);
    } finally {
      await s?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
