import { afterEach, describe, expect, it } from 'vitest';
import { createApp, createServices } from '../../main.ts';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { testDatabases } from '../../../test/databases.ts';
import { tokenFor } from '../../../test/stream-fixture.ts';
import type { App } from './app.ts';
import { testConfig } from '../../../test/config.ts';

const SECRET = 'a'.repeat(24) + 'metrics-secret-0123456789';

describe('/metrics', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  async function server(env: NodeJS.ProcessEnv) {
    const services = await createServices(testConfig(env), {
      database: await testDatabases[0]!.open(),
      log: silentLogger,
    });
    const app: App = await createApp(services);
    close = async () => {
      await app.close();
      await services.close();
    };
    const get = async (authorization?: string) =>
      app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
    return { services, get };
  }

  it('answers an operator token or the metrics secret, and nobody else (an admin included)', async () => {
    const { services, get } = await server({ BULWARK_METRICS_TOKEN: SECRET });
    expect((await get()).statusCode).toBe(401);
    expect((await get()).headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await get(`Bearer ${await tokenFor(services, 'PL')}`)).statusCode).toBe(403);
    expect((await get(`Bearer ${SECRET.slice(1)}x`)).statusCode).toBe(401);
    // Every organisation's activity is in there: one organisation's admin (a partner's above all) may not read it.
    expect((await get(`Bearer ${await tokenFor(services, 'PL', 'admin')}`)).statusCode).toBe(403);
    expect((await get(`Bearer ${await tokenFor(services, 'UA', 'admin')}`)).statusCode).toBe(403);
    const operator = await get(`Bearer ${await tokenFor(services, 'PL', 'operator')}`);
    expect(operator.statusCode).toBe(200);
    expect(operator.body).toMatch(/bulwark_http_request_duration_seconds/);
    const scraper = await get(`Bearer ${SECRET}`);
    expect(scraper.statusCode).toBe(200);
    expect(scraper.body).toMatch(/bulwark_http_requests_total|bulwark_http_request_duration_seconds/);
  });

  it('without a metrics secret configured, only operators read it', async () => {
    const { services, get } = await server({});
    expect((await get()).statusCode).toBe(401);
    expect((await get(`Bearer ${SECRET}`)).statusCode).toBe(401);
    expect((await get(`Bearer ${await tokenFor(services, 'PL', 'admin')}`)).statusCode).toBe(403);
    expect((await get(`Bearer ${await tokenFor(services, 'PL', 'operator')}`)).statusCode).toBe(200);
  });

  it('refuses a short metrics secret at start', () => {
    expect(() => loadConfig({}, { BULWARK_METRICS_TOKEN: 'short' })).toThrow(/BULWARK_METRICS_TOKEN/);
  });
});
