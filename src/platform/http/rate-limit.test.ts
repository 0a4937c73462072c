import { afterEach, describe, expect, it } from 'vitest';
import { createApp, createServices, type Services } from '../../main.ts';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { testDatabases } from '../../../test/databases.ts';
import { tokenFor } from '../../../test/stream-fixture.ts';
import type { LightMyRequestResponse } from 'fastify';
import { WindowCounter } from './rate-limit.ts';
import { testConfig } from '../../../test/config.ts';

describe('rate limit', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  async function server(env: NodeJS.ProcessEnv): Promise<{
    services: Services;
    get: (authorization?: string, from?: string, url?: string) => Promise<LightMyRequestResponse>;
  }> {
    const services = await createServices(testConfig(env), {
      database: await testDatabases[0]!.open(),
      log: silentLogger,
      profile: 'one-shot',
    });
    const app = await createApp(services);
    close = async () => {
      await app.close();
      await services.close();
    };
    const get = (authorization?: string, from = '10.0.0.1', url = '/api/v1/members') =>
      app.inject({
        url,
        remoteAddress: from,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(url.startsWith('/taxii2') ? { accept: 'application/taxii+json;version=2.1' } : {}),
        },
      });
    return { services, get };
  }

  it('counts a user under the user, whatever the spelling of the header, and others apart', async () => {
    const { services, get } = await server({ BULWARK_RATE_LIMIT: '5' });
    const token = await tokenFor(services, 'PL');
    const spellings = [
      `Bearer ${token}`,
      `Bearer  ${token}`,
      `Bearer ${token}   `,
      `bearer ${token}`,
      `BEARER \t${token}`,
    ];
    for (const h of spellings) expect((await get(h)).statusCode, JSON.stringify(h)).toBe(200);
    const over = await get(`Bearer    ${token}`, '10.9.9.9');
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.json<{ error: { code: string } }>().error.code).toBe('rate-limited');
    // Another user, same address: a bucket of its own.
    expect((await get(`Bearer ${await tokenFor(services, 'LT')}`)).statusCode).toBe(200);
  });

  it('caps failed authentications per address without blocking valid tokens from it', async () => {
    const { services, get } = await server({ BULWARK_AUTH_FAILURE_LIMIT: '3' });
    const good = await tokenFor(services, 'PL');
    const bad = (i: number) => `Bearer bwk_${String(i).padStart(43, 'A')}`;
    for (let i = 0; i < 3; i++) expect((await get(bad(i))).statusCode).toBe(401);
    const refused = await get(bad(99));
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Malformed headers and revoked tokens are failures too.
    expect((await get('Basic Zm9vOmJhcg==')).statusCode).toBe(429);
    // TAXII answers in its own error format.
    const taxii = await get(bad(7), '10.0.0.1', '/taxii2/');
    expect(taxii.statusCode).toBe(429);
    expect(taxii.json()).toMatchObject({ http_status: '429', title: 'Too Many Requests' });
    // The same address with a valid token, and another address, are not affected.
    expect((await get(`Bearer ${good}`)).statusCode).toBe(200);
    expect((await get(bad(1), '10.0.0.2')).statusCode).toBe(401);
    expect((await get(undefined, '10.0.0.1', '/taxii2/')).statusCode).toBe(200);
  });

  it('counts requests without credentials per address; health checks are never limited', async () => {
    const { get } = await server({ BULWARK_RATE_LIMIT: '2' });
    expect((await get(undefined, '10.1.1.1', '/taxii2/')).statusCode).toBe(200);
    expect((await get(undefined, '10.1.1.1', '/taxii2/')).statusCode).toBe(200);
    expect((await get(undefined, '10.1.1.1', '/taxii2/')).statusCode).toBe(429);
    expect((await get(undefined, '10.1.1.2', '/taxii2/')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await get(undefined, '10.1.1.1', '/healthz')).statusCode).toBe(200);
  });

  it('refuses malformed limits at start', () => {
    expect(() => loadConfig({}, { BULWARK_RATE_LIMIT: 'lots' })).toThrow(/BULWARK_RATE_LIMIT/);
    expect(() => loadConfig({}, { BULWARK_AUTH_FAILURE_LIMIT: '0' })).toThrow(/BULWARK_AUTH_FAILURE_LIMIT/);
    expect(() => loadConfig({}, { BULWARK_TRUST_PROXY: 'example.org' })).toThrow(/BULWARK_TRUST_PROXY/);
    expect(loadConfig({}, { BULWARK_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
  });
});

describe('WindowCounter', () => {
  it('opens a new window after the old one ends and says when', () => {
    let now = 1_000;
    const c = new WindowCounter(2, 60_000, 10, () => now);
    expect(c.hit('a')).toEqual({ ok: true });
    expect(c.hit('a')).toEqual({ ok: true });
    expect(c.hit('a')).toEqual({ ok: false, retryAfterS: 60 });
    now += 59_500;
    expect(c.hit('a')).toEqual({ ok: false, retryAfterS: 1 });
    now += 500;
    expect(c.hit('a')).toEqual({ ok: true });
  });

  it('holds a bounded number of keys however many addresses call', () => {
    const c = new WindowCounter(1, 60_000, 100, () => 0);
    for (let i = 0; i < 10_000; i++) c.hit(`k${i}`);
    expect(c.size).toBeLessThanOrEqual(100);
  });
});
