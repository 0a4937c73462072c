import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../test/server.ts';
import { loadDemo } from './demo.ts';

describe('demo data', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer();
  });
  afterEach(async () => s.close());

  it('loads once, with users per member, mixed TLP and correlated clusters', async () => {
    const users = (await loadDemo(s.services))!;
    expect(users.map((u) => u.name)).toEqual([
      'demo-pl',
      'demo-lt',
      'demo-lv',
      'demo-ee',
      'demo-ro',
      'demo-fi',
      'demo-ua',
    ]);
    expect(await loadDemo(s.services)).toBeUndefined();
    const tok = (org: string) => users.find((u) => u.org === org)!.token;
    const get = (org: string, url: string) =>
      s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tok(org)}` } }).then((r) => r.json());
    const ro = await get('RO', '/api/v1/incidents?limit=100');
    const lt = await get('LT', '/api/v1/incidents?limit=100');
    const ua = await get('UA', '/api/v1/incidents?limit=100');
    expect(ro.items.length).toBe(14); // all but FI's amber+strict one
    expect(lt.items.length).toBe(14); // all but RO's red one
    expect(ua.items.length).toBeLessThan(lt.items.length);
    const campaigns = (await get('LT', '/api/v1/campaigns')).items as Array<{
      incidents: string[];
      categories: string[];
      membersTouched: string[];
    }>;
    expect(campaigns.length).toBeGreaterThanOrEqual(2);
    // the technique picker finds DISARM and ATT&CK techniques out of the box, for members and partners
    const ttps = (await get('UA', '/api/v1/ttps?q=phishing')).items as Array<{ id: string; name: string }>;
    expect(ttps.length).toBeGreaterThan(0);
    const disarm = (await get('LT', '/api/v1/ttps?q=fake%20experts')).items as Array<{ name: string }>;
    expect(disarm.some((t) => /fake experts/i.test(t.name))).toBe(true);
    expect(campaigns[0]!.membersTouched.length).toBeGreaterThanOrEqual(3);
    const cats = campaigns.flatMap((c) => c.categories);
    expect(cats).toEqual(expect.arrayContaining(['cyber', 'disinformation']));
    const pic = await get('PL', '/api/v1/picture');
    expect(pic.total).toBe(14);
    expect(Object.keys(pic.byCategory).sort()).toEqual([
      'airspace-violation',
      'cyber',
      'disinformation',
      'economic-pressure',
      'migration-pressure',
    ]);
  });
});
