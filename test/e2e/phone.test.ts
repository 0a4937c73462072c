import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible, openBrowser, pageErrors, PHONE, poll, screenshot, signIn, e2eSetup } from './harness.ts';
import { hasService } from '../services.ts';

const e2e = e2eSetup();

/** Nothing wider than the phone: no sideways scrolling. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.skipIf(!hasService('chromium'))('the console on a phone (390×844)', { timeout: 120_000 }, () => {
  it('a duty officer answers a silence procedure, reads the live feed and the incidents', async () => {
    const pl = await e2e.server().user('PL');
    const lt = await e2e.server().user('LT');
    const res = await e2e.server().api<{ id: string }>(pl, 'POST', '/council/proposals', {
      title: 'Joint statement on the cable cuts',
      kind: 'public-statement',
      text: 'The Allies condemn the sabotage of undersea cables in the Baltic Sea.',
      procedure: 'silence',
      silenceEndsAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    });
    expect(res.status).toBe(201);
    await e2e.server().api(pl, 'POST', '/incidents', {
      title: 'Cable damage off Gotland',
      description: 'Two cables cut within hours.',
      category: 'sabotage',
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      location: { lat: 57.5, lon: 18.9 },
      affectedMembers: ['SE'],
      tlp: 'green',
    });

    const b = await openBrowser(PHONE);
    try {
      const { page } = b;
      await signIn(page, e2e.server().url, lt);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      // the live feed is on the situation page, below the map
      await page.getByRole('heading', { name: 'Live feed' }).scrollIntoViewIfNeeded();
      expect(await page.getByRole('heading', { name: 'Live feed' }).isVisible()).toBe(true);

      // the navigation is a drawer behind the Menu button
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('link', { name: 'Council' }).click();
      await page.getByText('Joint statement on the cable cuts').click();
      const detail = page.getByTestId('proposal-detail');
      await detail.waitFor();
      // on a phone the open proposal takes the screen; the list is one tap away
      expect(await page.getByRole('link', { name: '← All proposals' }).isVisible()).toBe(true);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await page.locator('input[name="position"]:checked').count()).toBe(0);
      await page.getByLabel('Concur').check();
      await page.getByRole('button', { name: 'Concur', exact: true }).click();
      await poll(() => detail.locator('.pos.concur .code').allTextContents()).toContain('LT');
      await expectAccessible(page);
      await screenshot(page, 'council-phone');

      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('link', { name: 'Incidents' }).click();
      await page.getByText('Cable damage off Gotland').click();
      await page.getByRole('link', { name: '← All incidents' }).waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await expectAccessible(page);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
