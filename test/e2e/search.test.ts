import { describe, expect, it } from 'vitest';
import { expectAccessible, openBrowser, pageErrors, poll, signIn, e2eSetup } from './harness.ts';
import { hasService } from '../services.ts';

const e2e = e2eSetup();

describe.skipIf(!hasService('chromium'))('search and pivot (end to end, Chromium)', { timeout: 120_000 }, () => {
  it('finds an address in every readable incident from the / box and pivots from an observable', async () => {
    const pl = await e2e.server().user('PL');
    const lt = await e2e.server().user('LT');
    const report = async (token: string, title: string, tlp: string, extra: object = {}) => {
      const res = await e2e.server().api<{ id: string }>(token, 'POST', '/incidents', {
        title,
        description: 'Scanning from a known address.',
        category: 'cyber',
        occurredAt: '2026-02-10T09:00:00Z',
        affectedMembers: ['LT'],
        observables: [{ type: 'ipv4-addr', value: '203.0.113.77' }],
        tlp,
        ...extra,
      });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    const readable = [
      await report(pl, 'Port scan of the energy ministry', 'green'),
      await report(pl, 'Credential stuffing on the tax portal', 'amber'),
      await report(pl, 'DNS probing of Vilnius airport', 'amber', { audience: ['LT'] }),
      await report(lt, 'Brute force against the railway VPN', 'red'),
    ];
    const hidden = await report(pl, 'Probe of a Polish naval base', 'red');

    const b = await openBrowser();
    try {
      const { page } = b;
      await signIn(page, e2e.server().url, lt);
      await page.locator('body').press('/');
      await page.keyboard.type('203.0.113.77');
      await page.keyboard.press('Enter');
      const results = page.getByTestId('search-results');
      await results.waitFor();
      await poll(() => results.locator(':scope > li').count()).toBe(4);
      const text = await results.textContent();
      expect(text).toContain('Port scan of the energy ministry');
      expect(text).not.toContain('Polish naval base');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('203.0.113.77');
      await expectAccessible(page);

      await page.getByRole('link', { name: 'DNS probing of Vilnius airport' }).click();
      await page.getByTestId('pivot-link').first().click();
      const rows = page.getByTestId('pivot-results').locator('tbody tr');
      await poll(() => rows.count()).toBe(4);
      const hrefs = await rows.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.map((h) => decodeURIComponent(h.split('/').pop() ?? '')).sort()).toEqual([...readable].sort());
      expect(hrefs.join()).not.toContain(hidden);
      await expectAccessible(page);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
