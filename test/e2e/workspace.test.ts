/**
 * The console as a workspace kept open all day (issue 14): the navigation, the live feed, the incident
 * page's actions, the Report and Admin screens, and a duty officer's phone, at 1440×900 and 390×844, each
 * checked with axe-core.
 * One server and one Chromium serve the whole file (harness e2eSetup).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2eSetup, expectAccessible, openBrowser, pageErrors, PHONE, poll, screenshot, signIn } from './harness.ts';
import { hasService } from '../services.ts';
import { NAV_GROUPS } from '../../web/src/app/nav.ts';

const e2e = e2eSetup();

const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

function incident(title: string, over: Record<string, unknown> = {}) {
  return {
    title,
    description: `${title}: seen by the national CERT.`,
    category: 'cyber',
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    location: { lat: 54.69, lon: 25.28 },
    affectedMembers: ['LT'],
    observables: [{ type: 'ipv4-addr', value: '198.51.100.44' }],
    tlp: 'green',
    ...over,
  };
}

describe.skipIf(!hasService('chromium'))('the console as a workspace (Chromium)', { timeout: 120_000 }, () => {
  it('lists every tab of ROUTES in sections that fit 1440×900, and Report and Admin pass axe', async () => {
    const b = await e2e.signedIn('PL', { role: 'admin' });
    try {
      const { page } = b;
      const nav = page.getByTestId('main-nav');
      // every tab is a link in a named section, all on screen at once at 1440×900
      const sections = await nav.locator('.nav-section-label').allTextContents();
      expect(sections.length).toBeGreaterThanOrEqual(4);
      for (const label of sections) expect(NAV_GROUPS.map((g) => g.label)).toContain(label);
      expect(sections).not.toContain('More');
      const links = nav.getByRole('link');
      expect(await links.count()).toBeGreaterThanOrEqual(10);
      for (const link of await links.all()) {
        expect(await link.isVisible()).toBe(true);
        const box = (await link.boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(900);
      }
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      // members, partners and non-members have distinct fills, each named in the legend
      await page.locator('path.country.member').first().waitFor();
      const fills = await page.evaluate(() =>
        ['member', 'partner', 'other'].map((k) => getComputedStyle(document.querySelector(`path.country.${k}`)!).fill),
      );
      expect(new Set(fills).size).toBe(3);
      const legend = (await page.getByTestId('map-legend').textContent()) ?? '';
      for (const words of [
        'member',
        'partner',
        'non-member',
        'sea',
        'treaty area',
        'several incidents',
        'not yet read',
      ])
        expect(legend).toContain(words);
      await expectAccessible(page);

      await nav.getByRole('link', { name: /^Report/ }).click();
      await page.getByLabel('Title').waitFor();
      expect(await nav.getByRole('link', { name: /^Report/ }).getAttribute('aria-current')).toBe('page');
      await expectAccessible(page);

      await nav.getByRole('link', { name: /^Admin/ }).click();
      await page.getByRole('button', { name: 'Add user' }).waitFor();
      await expectAccessible(page);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('opens the navigation as a drawer on a phone', async () => {
    const b = await e2e.signedIn('LT', { viewport: PHONE });
    try {
      const { page } = b;
      const nav = page.getByTestId('main-nav');
      expect(await nav.isVisible()).toBe(false);
      const menu = page.getByRole('button', { name: 'Menu' });
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await nav.getByRole('link', { name: 'Council' }).waitFor();
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      await expectAccessible(page);
      await nav.getByRole('link', { name: 'Council' }).click();
      await poll(() => nav.isVisible()).toBe(false);
      expect(page.url()).toMatch(/#\/council$/);
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('reads the live feed in sentences, counts and rings what is new, and keeps it after a reload', async () => {
    const server = e2e.server();
    const lt = await server.user('LT');
    const b = await e2e.signedIn('PL');
    try {
      const { page, context } = b;
      await poll(() => page.getByTestId('stream-state').getAttribute('data-state')).toBe('live');
      const first = await server.api<{ id: string }>(
        lt,
        'POST',
        '/incidents',
        incident('Scan of the Vilnius grid operator'),
      );
      expect(first.status).toBe(201);
      const second = await server.api<{ id: string }>(
        lt,
        'POST',
        '/incidents',
        incident('Phishing of the Kaunas water utility', { affectedMembers: ['PL'] }),
      );
      expect(second.status).toBe(201);
      const feed = page.getByTestId('live-feed');
      // a correlation reads as a sentence naming both incidents by member and title, and why they are linked
      await poll(() => feed.textContent(), 20_000).toMatch(
        /(LT|PL) incident “[^”]+” linked to (LT|PL) incident “[^”]+”: .*198\.51\.100\.44/,
      );
      expect(await feed.textContent()).toContain('New cyber incident (LT): “Scan of the Vilnius grid operator”');
      expect(await feed.textContent()).not.toMatch(/correlation\.found|incident\.created/);
      await poll(async () =>
        parseInt((await page.getByTestId('unread-count').textContent()) ?? '', 10),
      ).toBeGreaterThanOrEqual(3);
      expect(await page.title()).toMatch(/^\(\d+\) /);
      // the new incidents' markers are ringed on the map
      await poll(() => page.locator('[data-testid=incident-marker][data-fresh]').count()).toBeGreaterThan(0);
      await expectAccessible(page);

      // a reload keeps the recent history (replayed by the stream), still unread
      const before = await feed.locator('li').count();
      await page.reload();
      await page.getByTestId('identity').waitFor();
      await poll(() => feed.locator('li').count(), 20_000).toBe(before);
      expect(await feed.textContent()).toContain('Scan of the Vilnius grid operator');
      await page.getByRole('button', { name: 'Mark all read' }).click();
      await poll(() => page.getByTestId('unread-count').count()).toBe(0);
      expect(await page.locator('[data-testid=incident-marker][data-fresh]').count()).toBe(0);
      // something new after reading is new again
      await server.api(lt, 'POST', '/incidents', incident('Defacement of a Riga news site', { observables: [] }));
      await poll(() => page.getByTestId('feed-unread').textContent()).toBe('1 new');

      // browser notifications are opt-in
      await context.grantPermissions(['notifications']);
      const toggle = page.getByTestId('feed-notify');
      expect(await toggle.isChecked()).toBe(false);
      await toggle.check();
      await poll(() => toggle.isChecked()).toBe(true);
      expect(await page.evaluate(() => localStorage.getItem('bulwark.notify'))).toBe('on');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('revises, exports, prints and adds an incident to a campaign; the treaty block folds', async () => {
    const server = e2e.server();
    const b = await e2e.signedIn('EE');
    try {
      const { page } = b;
      const token = b.token;
      const mine = await server.api<{ id: string }>(
        token,
        'POST',
        '/incidents',
        incident('Login spraying at the Tallinn port', {
          affectedMembers: ['EE'],
          location: { lat: 59.44, lon: 24.75 },
          observables: [{ type: 'domain-name', value: 'port-login.example' }],
        }),
      );
      const other = await server.api<{ id: string }>(
        token,
        'POST',
        '/incidents',
        incident('Password spraying at Narva', { affectedMembers: ['EE'], observables: [] }),
      );
      const camp = await server.api<{ id: string }>(token, 'POST', '/campaigns', {
        name: 'Baltic port spraying',
        incidents: [other.body.id],
        tlp: 'green',
      });
      expect(camp.status).toBe(201);
      await page.goto(`${server.url}#/incidents/${encodeURIComponent(mine.body.id)}`);
      const detail = page.getByTestId('incident-detail');
      await detail.waitFor();

      // the treaty block of a cyber incident starts folded and opens on a click
      const treaty = page.getByTestId('incident-assessment');
      expect(await treaty.getAttribute('open')).toBeNull();
      await treaty.locator('summary').click();
      await treaty.getByTestId('assessment-result').waitFor();
      // plain words, never the rules' identifiers
      expect(await treaty.textContent()).not.toMatch(/article-\d|council-decision|not-available/);

      // revise: a new version, listed in the history
      await page.getByRole('button', { name: 'Revise' }).click();
      const form = page.getByTestId('revise-form');
      await form.getByLabel('Title').fill('Login spraying at the Tallinn port authority');
      await expectAccessible(page);
      await form.getByRole('button', { name: 'Save new version' }).click();
      await poll(() => detail.locator('h2').first().textContent()).toBe('Login spraying at the Tallinn port authority');
      await poll(() => page.getByTestId('history').textContent()).toContain('changed title');

      // export: the STIX bundle holds the revised incident and its observable, the CSV one row per observable
      await page.getByText('Export', { exact: true }).click();
      const [stix] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-stix').click()]);
      const bundle = JSON.parse(readFileSync(await stix.path(), 'utf8')) as {
        type: string;
        objects: Array<{ type: string; id: string; name?: string; value?: string }>;
      };
      expect(bundle.type).toBe('bundle');
      expect(bundle.objects.find((o) => o.id === mine.body.id)?.name).toBe(
        'Login spraying at the Tallinn port authority',
      );
      expect(bundle.objects.some((o) => o.type === 'domain-name' && o.value === 'port-login.example')).toBe(true);
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      expect(readFileSync(await csv.path(), 'utf8')).toContain('"domain-name","port-login.example"');
      const [misp] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-misp').click()]);
      expect(JSON.parse(readFileSync(await misp.path(), 'utf8')).Event.Attribute).toContainEqual(
        expect.objectContaining({ type: 'domain', value: 'port-login.example' }),
      );
      await page.getByText('Export', { exact: true }).click();

      // add to the campaign the organisation confirmed
      await page.getByText('Add to campaign', { exact: true }).click();
      await page.getByLabel('Campaign your organisation confirmed').selectOption({ label: 'Baltic port spraying' });
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByTestId('added-to-campaign').waitFor();
      const after = await server.api<{ incidents: string[] }>(token, 'GET', `/campaigns/${camp.body.id}`);
      expect(after.body.incidents).toContain(mine.body.id);
      await expectAccessible(page);

      // print view: the incident without the console around it
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('main-nav').isVisible()).toBe(false);
      expect(await page.getByTestId('incident-actions').isVisible()).toBe(false);
      expect(await detail.isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});

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
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
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
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
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
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      await expectAccessible(page);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
