import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { testServer, type TestServer } from '../server.ts';
import { BULWARK_IDENTITY_ID } from '../../src/contexts/sharing/identity.ts';
import { INCIDENT_EXTENSION_ID } from '../../src/contexts/intel/incident.ts';

const TAXII = 'application/taxii+json;version=2.1';
const ind = (extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  pattern: "[url:value = 'http://x.example/']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
  ...extra,
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
    s.app.inject({
      method: 'POST',
      url: '/taxii2/alliance/collections/alliance/objects/',
      headers: { accept: TAXII, 'content-type': TAXII, authorization: `Bearer ${token}` },
      payload: raw ?? JSON.stringify(body),
    });
  const failures = async (objects: unknown[]) => {
    const r = await post({ objects });
    expect(r.statusCode).toBe(202);
    return r
      .json<{ failures: Array<{ message: string }> }>()
      .failures.map((f) => f.message)
      .join('\n');
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

  it('numbers JSON.parse would not keep as sent, and claims of the server identity, are refused per object naming the property', async () => {
    const big = ind();
    const raw = JSON.stringify({ objects: [ind(), big, ind({ created_by_ref: BULWARK_IDENTITY_ID })] })
      .replace('"pattern_type"', '"x_n":-1e999,"pattern_type"')
      .replace(`"id":"${big.id}"`, `"id":"${big.id}","x_id":9007199254740993`);
    const r = await post(null, raw);
    expect(r.statusCode).toBe(202);
    const messages = r.json<{ failures: Array<{ message: string }> }>().failures.map((f) => f.message);
    expect(messages).toEqual([
      expect.stringMatching(/x_n is a number beyond the range/),
      expect.stringMatching(/x_id is a number beyond/),
      expect.stringMatching(/created_by_ref names the server's own identity/),
    ]);
    expect(r.json().success_count).toBe(0);
  });

  it("an incident carrying Bulwark's extension in another shape is refused per object (its REST read answered 500)", async () => {
    const id = `incident--${randomUUID()}`;
    const ext = {
      extension_type: 'property-extension',
      category: 5,
      occurred_at: '0000-01-01T00:00:00Z',
      affected_members: ['XX1'],
      observables: 'no',
    };
    const obj = {
      type: 'incident',
      spec_version: '2.1',
      id,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: 'x',
      extensions: { [INCIDENT_EXTENSION_ID]: ext },
    };
    const messages = await failures([obj]);
    for (const p of ['category', 'occurred_at', 'affected_members', 'observables'])
      expect(messages).toContain(`extensions.${INCIDENT_EXTENSION_ID}.${p}`);
    expect(
      (await s.app.inject({ url: `/api/v1/incidents/${id}`, headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(404);
    // The shape the REST API writes is accepted.
    const good = {
      ...obj,
      id: `incident--${randomUUID()}`,
      extensions: {
        [INCIDENT_EXTENSION_ID]: {
          ...ext,
          category: 'cyber',
          occurred_at: '2024-01-01T00:00:00.000Z',
          affected_members: ['PL'],
          observables: [{ type: 'domain-name', value: 'x.example' }],
        },
      },
    };
    expect((await post({ objects: [good] })).json().success_count).toBe(1);
    expect(
      (await s.app.inject({ url: `/api/v1/incidents/${good.id}`, headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(200);
  });

  it('a body nested 200,000 levels deep is an answer, never a crash', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect((await post(null, `{"objects":[${deep}]}`)).json().failure_count).toBe(1);
    expect((await post(null, `{"objects":[],"x":${deep}}`)).statusCode).toBe(202);
  });

  afterEach(async () => {
    const r = await s.app.inject({
      url: `/taxii2/alliance/collections/alliance/objects/${kept.id}/`,
      headers: { accept: TAXII, authorization: `Bearer ${token}` },
    });
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
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--data', join(dir, 'data')], {
          encoding: 'utf8',
        });
      const r = cli('import', file, '--member', 'PL');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/not imported: truncated JSON/);
      const tlp = cli('import', file, '--member', 'PL', '--tlp', 'purple');
      expect(tlp.status).toBe(2);
      expect(tlp.stderr).toMatch(/--tlp/);
      const exp = cli('export', '--member', 'PL');
      // Only the store's own TLP marking definitions: nothing of the truncated file.
      expect(
        (JSON.parse(exp.stdout) as { objects: Array<{ type: string }> }).objects.filter(
          (o) => o.type !== 'marking-definition',
        ),
      ).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('bad JSON bodies on the REST API: 400 naming the field, never 500', () => {
  let s: TestServer;
  let token: string;
  beforeEach(async () => {
    s = await testServer();
    token = await s.token('PL');
  });
  afterEach(async () => s.close());
  const post = (url: string, raw: string) =>
    s.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: raw,
    });
  const proposal = (assessment: string) =>
    `{"title":"t","kind":"public-statement","text":"x","procedure":"meeting","assessment":${assessment}}`;

  it('nesting thousands of levels answers 400 naming the field (a proposal assessment of 8,000 levels answered 500)', async () => {
    const r = await post('/api/v1/council/proposals', proposal(`{"a":${'['.repeat(8000)}${']'.repeat(8000)}}`));
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error).toMatchObject({
      code: 'validation',
      field: expect.stringMatching(/^assessment\.a\[0\]/),
      message: expect.stringMatching(/nested deeper than 32 levels/),
    });
    const inc = await post(
      '/api/v1/incidents',
      `{"title":"t","description":"","category":"cyber","occurredAt":"2026-01-01T00:00:00Z","affectedMembers":["PL"],"tlp":"amber","x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
    );
    expect(inc.statusCode).toBe(400);
    expect(inc.json().error.field).toMatch(/^x\.a\.a/);
  });

  it('-1e999 and integers beyond 2^53 - 1 answer 400 naming the field instead of being stored as null or rounded', async () => {
    for (const [assessment, field] of [
      ['{"a":-1e999}', 'assessment.a'],
      ['{"b":[9007199254740993]}', 'assessment.b[0]'],
    ]) {
      const r = await post('/api/v1/council/proposals', proposal(assessment!));
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'validation', field });
    }
    const lat = await post(
      '/api/v1/treaty/assessments',
      '{"occurredAt":"2023-01-15T00:00:00Z","location":{"lat":-1e999,"lon":24.94},"target":{"party":"FI","kind":"territory"},"nature":"armed-attack"}',
    );
    expect(lat.statusCode).toBe(400);
    expect(lat.json().error.field).toBe('location.lat');
    expect((await post('/api/v1/council/proposals', proposal('{"a":9007199254740991,"b":-0.5}'))).statusCode).toBe(201);
  });

  it('times outside the years 0001 to 9999 once in UTC answer 400 naming the field (they were stored as +010000-… or 0000-…)', async () => {
    const incident = (occurredAt: string) =>
      JSON.stringify({
        title: 't',
        description: '',
        category: 'cyber',
        occurredAt,
        affectedMembers: ['PL'],
        tlp: 'amber',
      });
    for (const at of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-01:00', '0001-01-01T00:00:00+01:00']) {
      const r = await post('/api/v1/incidents', incident(at));
      expect(r.statusCode, at).toBe(400);
      expect(r.json().error).toMatchObject({ field: 'occurredAt', message: expect.stringMatching(/0001 to 9999/) });
    }
    expect((await post('/api/v1/incidents', incident('9999-12-31T23:59:59Z'))).json().occurredAt).toBe(
      '9999-12-31T23:59:59.000Z',
    );
    const silence = await post(
      '/api/v1/council/proposals',
      '{"title":"t","kind":"public-statement","text":"x","procedure":"silence","silenceEndsAt":"9999-12-31T23:30:00-01:00"}',
    );
    expect(silence.statusCode).toBe(400);
    expect(silence.json().error.field).toBe('silenceEndsAt');
    const treaty = await post(
      '/api/v1/treaty/assessments',
      '{"occurredAt":"0000-01-15","location":{"lat":60.17,"lon":24.94},"target":{"party":"FI","kind":"territory"},"nature":"armed-attack"}',
    );
    expect(treaty.statusCode).toBe(400);
    expect(treaty.json().error.field).toBe('occurredAt');
    const since = await s.app.inject({
      url: '/api/v1/incidents?since=0000-12-31T00:00:00Z',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(since.statusCode).toBe(400);
  });

  it('malformed observables answer 400 naming the observable (a..b was stored)', async () => {
    const r = await post(
      '/api/v1/incidents',
      JSON.stringify({
        title: 't',
        description: '',
        category: 'cyber',
        occurredAt: '2026-01-01T00:00:00Z',
        affectedMembers: ['PL'],
        tlp: 'amber',
        observables: [
          { type: 'domain-name', value: 'ok.example' },
          { type: 'domain-name', value: 'a..b' },
        ],
      }),
    );
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({
      field: 'observables[1].value',
      message: expect.stringMatching(/empty label/),
    });
  });
});
