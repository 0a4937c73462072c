import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { testServer, type TestServer } from '../server.ts';
import { testDatabases } from '../databases.ts';
import { systemActor } from '../../src/kernel/access/actor.ts';

/**
 * An audience, when given, names at least one organisation of the store (api.md): an empty list read
 * as "no audience" widened the release, and unknown codes were stored on campaigns, responses,
 * proposals and imports. Every write path answers 400 naming `audience` (the CLI: exit 2, `--audience`).
 */
describe.each(testDatabases)('audience on $name', (tdb) => {
  let s: TestServer;
  let pl: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    pl = await s.token('PL');
  });
  afterEach(async () => s.close());
  const call = (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) =>
    s.app.inject({ method, url, headers: { authorization: `Bearer ${pl}` }, ...(payload ? { payload } : {}) });
  const incident = (extra: object = {}) => ({
    title: 't',
    description: '',
    category: 'cyber',
    occurredAt: '2026-01-01T00:00:00Z',
    affectedMembers: ['PL'],
    tlp: 'amber',
    ...extra,
  });

  it('an empty audience or an unknown organisation answers 400 naming audience on every REST write', async () => {
    const inc = (await call('POST', '/api/v1/incidents', incident())).json().id as string;
    const writes: Array<[string, (audience: string[]) => object]> = [
      ['/api/v1/incidents', (audience) => incident({ audience })],
      ['/api/v1/campaigns', (audience) => ({ name: 'c', incidents: [inc], tlp: 'amber', audience })],
      [
        '/api/v1/responses',
        (audience) => ({
          title: 'r',
          target: inc,
          courseOfAction: { name: 'block' },
          participants: ['PL'],
          tlp: 'amber',
          audience,
        }),
      ],
      [
        '/api/v1/council/proposals',
        (audience) => ({
          title: 'p',
          kind: 'public-statement',
          text: 'x',
          procedure: 'meeting',
          tlp: 'amber',
          audience,
        }),
      ],
    ];
    for (const [url, body] of writes) {
      for (const audience of [[], ['XX'], ['LT', 'QQ']]) {
        const r = await call('POST', url, body(audience));
        expect(r.statusCode, `${url} ${JSON.stringify(audience)}: ${r.body}`).toBe(400);
        expect(r.json().error.field).toMatch(/^audience/);
      }
    }
    expect((await call('PATCH', `/api/v1/incidents/${inc}`, { audience: [] })).statusCode).toBe(400);
    // Nothing was stored by the refused writes.
    expect((await call('GET', '/api/v1/incidents')).json().items).toHaveLength(1);
    expect((await call('GET', '/api/v1/council/proposals')).json().items).toHaveLength(0);
  });

  it('a known audience is kept, and PATCH with audience null removes it', async () => {
    const r = await call('POST', '/api/v1/incidents', incident({ audience: ['LT', 'UA'] }));
    expect(r.json().audience).toEqual(['LT', 'UA']);
    const p = await call('PATCH', `/api/v1/incidents/${r.json().id as string}`, { audience: null });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json().audience).toEqual([]);
  });

  it('the knowledge store refuses unknown organisations whoever writes, and nothing is stored', async () => {
    const ind = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      pattern: "[url:value = 'http://x.example/']",
      pattern_type: 'stix',
      valid_from: '2024-01-01T00:00:00Z',
    };
    await expect(
      s.services.knowledge.ingest(systemActor('import'), [{ index: 0, value: ind }], {
        asOrg: 'PL',
        audience: ['LT', 'ZZ'],
      }),
    ).rejects.toMatchObject({
      code: 'validation',
      field: 'audience',
      message: expect.stringMatching(/ZZ is not an organisation/),
    });
    expect(await s.services.knowledge.find(systemActor('t'), ind.id)).toBeUndefined();
  });
});

describe('audience of the import CLI', () => {
  it('an unknown or empty --audience exits 2 naming --audience, and imports nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-audience-'));
    try {
      const file = join(dir, 'b.json');
      const id = `indicator--${randomUUID()}`;
      writeFileSync(
        file,
        JSON.stringify({
          type: 'bundle',
          id: `bundle--${randomUUID()}`,
          objects: [
            {
              type: 'indicator',
              spec_version: '2.1',
              id,
              created: '2024-01-01T00:00:00.000Z',
              modified: '2024-01-01T00:00:00.000Z',
              pattern: "[url:value = 'http://x.example/']",
              pattern_type: 'stix',
              valid_from: '2024-01-01T00:00:00Z',
            },
          ],
        }),
      );
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--data', join(dir, 'data')], {
          encoding: 'utf8',
        });
      for (const audience of ['LT,XX', ',']) {
        const r = cli('import', file, '--member', 'PL', '--tlp', 'red', '--audience', audience);
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/--audience: (XX is not an organisation|names no organisation)/);
      }
      const exp = cli('export', '--member', 'LT');
      expect(exp.stdout).not.toContain(id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
