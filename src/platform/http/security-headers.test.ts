import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';

describe('security headers', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => s.close());

  it('are on every answer: API, TAXII, errors and the console, with the console CSP', async () => {
    for (const url of ['/healthz', '/api/v1/me', '/taxii2/', '/no-such-route', '/']) {
      const res = await s.app.inject({
        method: 'GET',
        url,
        headers: { accept: url.startsWith('/taxii2') ? 'application/taxii+json;version=2.1' : '*/*' },
      });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toMatch(/^max-age=\d+/);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("connect-src 'self'");
      expect(csp, url).toContain("object-src 'none'");
    }
  });
});
