import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { loadConfig } from '../../platform/config.ts';
import { TAXII_MEDIA } from './taxii.ts';

// Discovery used to echo the request's Host header in `default` and `api_roots`: any client could make
// the server name an API root on a host of its choosing.
describe("TAXII discovery names the server, never the request's Host", () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });
  const discover = async (srv: TestServer) =>
    (await srv.app.inject({ url: '/taxii2/', headers: { accept: TAXII_MEDIA, host: 'evil.example:666' } })).json<{
      default: string;
      api_roots: string[];
    }>();

  it('gives BULWARK_PUBLIC_URL when set', async () => {
    s = await testServer({ env: { BULWARK_PUBLIC_URL: 'https://bulwark.example.org/intel/' } });
    expect(await discover(s)).toMatchObject({
      default: 'https://bulwark.example.org/intel/taxii2/alliance/',
      api_roots: ['https://bulwark.example.org/intel/taxii2/alliance/'],
    });
  });

  it('gives the listening address otherwise (the configured one before listening)', async () => {
    s = await testServer();
    expect((await discover(s)).api_roots).toEqual(['http://127.0.0.1:4700/taxii2/alliance/']);
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (s.app.server.address() as { port: number }).port;
    expect(await discover(s)).toMatchObject({
      default: `http://127.0.0.1:${port}/taxii2/alliance/`,
      api_roots: [`http://127.0.0.1:${port}/taxii2/alliance/`],
    });
  });

  it('refuses a BULWARK_PUBLIC_URL that is not an http(s) URL, naming the variable', () => {
    for (const bad of [
      'bulwark.example.org',
      'ftp://bulwark.example.org',
      'https://u:p@bulwark.example.org',
      'https://bulwark.example.org/?x=1',
    ]) {
      expect(() => loadConfig({}, { BULWARK_PUBLIC_URL: bad })).toThrow(/BULWARK_PUBLIC_URL/);
    }
    expect(loadConfig({}, { BULWARK_PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    expect(loadConfig({}, {}).publicUrl).toBeUndefined();
  });
});

describe('max_content_length', () => {
  // 64 MiB envelopes blocked the serving thread for seconds and cost several times their size each.
  it('defaults to 16 MiB, and BULWARK_MAX_BODY is refused unless a whole number of bytes from 1 KiB to 1 GiB', () => {
    expect(loadConfig({}, {}).maxBodyBytes).toBe(16 * 1024 * 1024);
    expect(loadConfig({}, { BULWARK_MAX_BODY: '1048576' }).maxBodyBytes).toBe(1048576);
    for (const bad of ['lots', '-1', '12.5', '100', String(2 ** 31)])
      expect(() => loadConfig({}, { BULWARK_MAX_BODY: bad })).toThrow(/BULWARK_MAX_BODY/);
  });
});
