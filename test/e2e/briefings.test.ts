import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDemo, type DemoUser } from '../../src/demo/demo.ts';
import { openBrowser, pageErrors, poll, screenshot, signIn, e2eSetup } from './harness.ts';
import { hasService } from '../services.ts';

let users: DemoUser[];
const e2e = e2eSetup(async (s) => {
  users = (await loadDemo(s.services))!;
});

describe.skipIf(!hasService('chromium'))(
  'registers and briefings in the console (end to end, Chromium)',
  { timeout: 150_000 },
  () => {
    it('shows the registers, generates a briefing of the week, previews it and downloads the PDF', async () => {
      const pl = users.find((u) => u.org === 'PL')!.token;
      const b = await openBrowser();
      try {
        const { page } = b;
        await signIn(page, e2e.server().url, pl);

        await page.getByRole('link', { name: /^Support/ }).click();
        const table = page.getByTestId('support-table');
        await poll(() => table.locator('tbody tr').count()).toBeGreaterThan(3);
        await poll(() =>
          page.getByTestId('support-view').locator('svg[aria-label^="Support by avenue"]').count(),
        ).toBeGreaterThan(0);
        await page.locator('select[name=avenue]').selectOption('cyber-defence');
        await poll(() => table.locator('tbody tr').count()).toBe(1);

        await page.getByRole('link', { name: /^Diplomacy/ }).click();
        await poll(() => page.getByTestId('diplomacy-view').textContent()).toContain('Minsk Protocol');
        await page.getByRole('link', { name: /^Humanitarian/ }).click();
        await poll(() => page.getByTestId('humanitarian-view').textContent()).toContain('UA-14');

        await page.getByRole('link', { name: /^Briefings/ }).click();
        const view = page.getByTestId('briefings-view');
        await view.getByRole('button', { name: 'Generate briefing' }).click();
        const preview = page.frameLocator('[data-testid="briefing-preview"]');
        await poll(() => preview.locator('h1').textContent(), 60_000).toContain('Briefing for PL');
        expect(await preview.locator('body').textContent()).toContain('Support to partners');
        await screenshot(page, 'briefings');

        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 60_000 }),
          view.getByRole('button', { name: 'Download PDF' }).first().click(),
        ]);
        const file = await download.path();
        const bytes = readFileSync(file);
        expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
        const text = execFileSync('pdftotext', [file, '-']).toString('utf8');
        expect(text).toContain('1. Situation');
        expect(text).toMatch(/TLP:(RED|AMBER|GREEN|CLEAR)/);
        // FI's TLP:RED field-hospital entry is not PL's to read.
        expect(text).not.toContain('Field hospital supplies');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await b.close();
      }
    });
  },
);
