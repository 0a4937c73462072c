import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureConsoleBuilt,
  expectAccessible,
  openBrowser,
  pageErrors,
  poll,
  signIn,
  startServer,
  type E2eServer,
} from './harness.ts';
import { hasService } from '../services.ts';

/**
 * The situation map's humanitarian layer (issue 17): needs per place from the humanitarian register, a
 * switch, a legend entry, markers readable by keyboard, a table as the alternative, and nothing the
 * reader may not read. One server and one browser.
 */
let server: E2eServer;
let lt: string;

const need = (area: string, sector: string, peopleInNeed: number, tlp: string, extra: object = {}) => ({
  area,
  sector,
  peopleInNeed,
  asOf: '2025-03-01T00:00:00Z',
  source: 'https://example.org/hno',
  tlp,
  ...extra,
});

beforeAll(async () => {
  if (!hasService('chromium')) return;
  ensureConsoleBuilt();
  server = await startServer();
  const pl = await server.user('PL');
  const de = await server.user('DE');
  lt = await server.user('LT');
  for (const [token, body] of [
    [pl, need('UA-14', 'food', 1_200_000, 'green')],
    [pl, need('UA', 'health', 800_000, 'amber')],
    // Hidden from LT: PL's TLP:RED need in Moldova, and DE's need released to PL alone.
    [pl, need('MD', 'shelter', 50_000, 'red')],
    [de, need('GE', 'food', 70_000, 'amber', { audience: ['PL'] })],
  ] as const) {
    const r = await server.api(token, 'POST', '/humanitarian/needs', body);
    expect(r.status).toBe(201);
  }
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe.skipIf(!hasService('chromium'))(
  'humanitarian layer on the situation map (Chromium)',
  { timeout: 90_000 },
  () => {
    it('switches on, reads by keyboard, lists the needs, and shows only what the reader may read', async () => {
      const b = await openBrowser();
      try {
        const { page } = b;
        await signIn(page, server.url, lt);
        await page.getByRole('link', { name: /Situation/ }).click();
        await page.getByTestId('situation-map').waitFor();
        expect(await page.getByTestId('humanitarian-layer').count(), 'off until switched on').toBe(0);

        await page.getByTestId('toggle-humanitarian').check();
        const markers = page.getByTestId('humanitarian-marker');
        await poll(() => markers.count()).toBe(1);
        expect(await markers.first().getAttribute('data-country')).toBe('UA');
        // UA: food 1.2 million (UA-14) is larger than the country's stated health need.
        expect(await markers.first().getAttribute('aria-label')).toMatch(
          /UA: 1\.2 million people in need \(largest sector: food\), 2 needs recorded/,
        );
        await expect(page.getByTestId('humanitarian-legend').textContent()).resolves.toContain('humanitarian needs');

        // Keyboard: the marker takes focus and Enter opens the list at its country.
        await markers.first().focus();
        await page.keyboard.press('Enter');
        const list = page.getByTestId('humanitarian-list');
        await poll(() => list.getAttribute('open')).not.toBeNull();
        await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-country'))).toBe('UA');
        const text = (await list.textContent()) ?? '';
        expect(text).toContain('UA-14');
        expect(text).toContain('1,200,000');
        expect(text).not.toContain('MD');
        expect(text).not.toContain('GE');

        await expectAccessible(page);
        await page.getByTestId('toggle-humanitarian').uncheck();
        await poll(() => page.getByTestId('humanitarian-layer').count()).toBe(0);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await b.close();
      }
    });
  },
);
