import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadDemo } from '../../src/demo/demo.ts';
import {
  ensureConsoleBuilt,
  expectAccessible,
  openBrowser,
  pageErrors,
  PHONE,
  poll,
  screenshot,
  signIn,
  startServer,
  type E2eBrowser,
  type E2eServer,
} from './harness.ts';
import { hasService } from '../services.ts';

// One server and one browser for the whole file: CI time is tight.
let server: E2eServer;
let browser: E2eBrowser;

beforeAll(async () => {
  if (!hasService('chromium')) return;
  ensureConsoleBuilt();
  server = await startServer();
  await loadDemo(server.services);
  browser = await openBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const percent = async (page: Page, key: string) =>
  Number.parseFloat((await page.getByTestId(`probability-${key}`).textContent()) ?? 'NaN');
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.skipIf(!hasService('chromium'))('the Outlook tab (end to end, Chromium)', { timeout: 150_000 }, () => {
  it('an analyst reads the demo set, adds an observation and sees the probabilities move with the reason', async () => {
    // LV's own assessment, released to nobody else: PL's analyst must never see it.
    const lv = await server.user('LV');
    const hidden = await server.api<{ id: string }>(lv, 'POST', '/outlook/scenario-sets', {
      title: 'LV restricted outlook',
      question: 'Internal planning question',
      horizon: '2027-12-31',
      scenarios: [
        { key: 'a', title: 'A', prior: 0.5 },
        { key: 'b', title: 'B', prior: 0.5 },
      ],
      tlp: 'red',
    });
    expect(hidden.status).toBe(201);
    const listedForLv = await server.api<{ items: Array<{ title: string }> }>(lv, 'GET', '/outlook/scenario-sets');
    expect(listedForLv.body.items.map((s) => s.title)).toContain('LV restricted outlook');

    const pl = await server.user('PL');
    const { page } = browser;
    await signIn(page, server.url, pl);
    await page.getByRole('link', { name: /^Outlook/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Outlook' }).waitFor();
    const list = page.getByTestId('set-list');
    await list.getByRole('link', { name: 'How the war in Ukraine ends' }).click();
    expect(await list.textContent()).not.toContain('LV restricted outlook');

    const setView = page.getByTestId('scenario-set');
    await setView.getByRole('heading', { name: 'How the war in Ukraine ends' }).waitFor();
    await poll(() => page.locator('[data-testid="probability-chart"] svg[role="img"]').count()).toBe(1);
    await poll(() => page.locator('[data-testid="history-chart"] svg').count()).toBeGreaterThan(0);
    const steps = page.getByTestId('explanations').locator(':scope > li');
    await poll(() => steps.count()).toBe(4);
    await poll(() => page.getByTestId('impact-matrix').locator('tbody tr').count()).toBe(9);
    await poll(() => page.getByTestId('sensitivity').textContent()).toMatch(/ranks first|share first place/);
    await expectAccessible(page);
    await screenshot(page, 'outlook-set');

    // Direct talks announced: the settlement scenario expected them most (85%).
    const before = await percent(page, 'settlement');
    const form = page.getByTestId('add-observation');
    await form.getByLabel('Signpost').selectOption('direct-talks');
    await form.getByLabel('Seen', { exact: true }).check();
    await form.getByLabel('Note').fill('Summit date announced by both governments');
    await form.getByRole('button', { name: 'Add observation' }).click();
    await poll(() => page.getByTestId('observation-added').textContent()).toMatch(
      /^Recorded\. Largest move: “.+” [+−]\d+\.\d points\.$/,
    );
    await poll(() => percent(page, 'settlement')).toBeGreaterThan(before);
    await poll(() => steps.count()).toBe(5);
    const newest = await steps.first().textContent();
    expect(newest).toContain('Leader-level direct talks announced');
    expect(newest).toContain('Seen (confidence 90%): it was expected with 85% under “Negotiated settlement”');
    expect(newest).toContain('Summit date announced by both governments');

    // ACH: EE's matrix (TLP:AMBER) is readable by PL, not editable.
    await page.getByRole('link', { name: 'Hypotheses (ACH)' }).click();
    await page.getByTestId('ach-list').getByRole('link').first().click();
    await poll(() => page.getByTestId('ach-best').textContent()).toContain(
      '“A state intelligence service” is the least',
    );
    expect(await page.getByTestId('ach-matrix').locator('select').count()).toBe(0);
    await expectAccessible(page);

    // A question: the crowd stays hidden until PL's analyst has forecast.
    await page.getByRole('link', { name: 'Questions' }).click();
    await page.getByTestId('question-list').getByRole('link').first().click();
    await poll(() => page.getByTestId('crowd').textContent()).toContain('shown once you have made your own');
    await page.getByLabel('Rationale (required)').fill('Mediators report progress.');
    await page.getByRole('button', { name: 'Forecast', exact: true }).click();
    await poll(() => page.getByTestId('crowd').textContent()).toMatch(/yes: \d+\.\d%/);
    await expectAccessible(page);

    // EE's analyst rates its own matrix: scores and ranks follow at once.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, server.url, await server.user('EE'));
    await page.goto(`${server.url}#/outlook/ach`);
    await page.getByTestId('ach-list').getByRole('link').first().click();
    await poll(() => page.getByTestId('ach-best').textContent()).toContain(
      '“A state intelligence service” is the least',
    );
    await page
      .getByLabel('Infrastructure shared with earlier state-linked operations: rating for A state intelligence service')
      .selectOption('II');
    await poll(() => page.getByTestId('ach-best').textContent()).toContain('“Independent hacktivists” is the least');
    await poll(() => page.getByTestId('ach-score-state-service').textContent()).toBe('-4.00 (2)');
    await expectAccessible(page);

    // The same set on a phone: one column, nothing wider than the screen, still accessible.
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'Back to the list' }).click();
    await page.getByRole('link', { name: 'Scenarios' }).click();
    await page.getByTestId('set-list').getByRole('link', { name: 'How the war in Ukraine ends' }).click();
    await page.getByTestId('impact-matrix').waitFor();
    await poll(() => steps.count()).toBe(5);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await screenshot(page, 'outlook-set-phone');
    // The hidden set cannot be opened by its address either.
    await page.goto(`${server.url}#/outlook/${encodeURIComponent(hidden.body.id)}`);
    await poll(() => page.getByTestId('outlook-view').textContent()).toContain('could not be loaded');
    expect(await page.getByTestId('outlook-view').textContent()).not.toContain('Internal planning question');
    expect(pageErrors(page)).toEqual([]);
  });

  it('an analyst builds a set from the console and watches the chart and the posture map move', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, server.url, await server.user('LT'));
    await page.goto(`${server.url}#/outlook/scenarios`);
    await page.getByTestId('new-set-link').click();
    const form = page.getByTestId('new-set');
    await form.getByLabel('Title', { exact: true }).fill('Console-built outlook');
    await form.getByLabel('Question', { exact: true }).fill('Which way does the front move by winter?');
    await form.getByLabel('Horizon', { exact: true }).fill('2027-12-31');
    await form.getByLabel('Scenario 1 title').fill('Aggressor momentum');
    await form.getByLabel('Scenario 1 prior (0–1)').fill('0.5');
    await form.getByLabel('Scenario 2 title').fill('Negotiated settlement');
    await form.getByLabel('Scenario 2 prior (0–1)').fill('0.4');
    await form.getByRole('button', { name: 'Create the scenario set' }).click();
    // The priors' problem is named beside the scenarios, and nothing is sent.
    await poll(() => form.locator('.field-error').first().textContent()).toBe('priors must sum to 1 (within 1e-6)');
    await expectAccessible(page);
    await form.getByLabel('Scenario 2 prior (0–1)').fill('0.5');
    await form.getByRole('button', { name: 'Create the scenario set' }).click();

    const setView = page.getByTestId('scenario-set');
    await setView.getByRole('heading', { name: 'Console-built outlook' }).waitFor();
    await poll(() => percent(page, 'negotiated-settlement')).toBe(50);

    // A signpost, then the same key again: the server's 409 is shown at the key's field.
    const sp = page.getByTestId('add-signpost');
    const addSignpost = async () => {
      await sp.getByLabel('Signpost title').fill('Ceasefire talks');
      await sp.getByLabel('Under “Aggressor momentum”').fill('0.2');
      await sp.getByLabel('Under “Negotiated settlement”').fill('0.8');
      await sp.getByRole('button', { name: 'Add signpost' }).click();
    };
    await addSignpost();
    await poll(() => page.getByTestId('signpost-added').textContent()).toBe('Signpost “Ceasefire talks” added.');
    await poll(() => page.getByTestId('signposts').locator('tbody tr').count()).toBe(1);
    await addSignpost();
    const key = sp.getByLabel('Signpost key');
    await poll(() => key.getAttribute('aria-invalid')).toBe('true');
    const described = (await key.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${described}"]`).textContent()).toBe(
      'the set already has a signpost ceasefire-talks',
    );

    // The impact matrix of two members: LT is hit hardest if the aggressor keeps its momentum.
    const impacts = page.getByTestId('impacts-form');
    await impacts.getByLabel('Members (codes)').fill('LT, PL');
    for (const [m, a, n] of [
      ['LT', '5', '1'],
      ['PL', '3', '1'],
    ] as const) {
      await impacts.getByLabel(`Impact of “Aggressor momentum” on ${m}`).selectOption(a);
      await impacts.getByLabel(`Impact of “Negotiated settlement” on ${m}`).selectOption(n);
    }
    await impacts.getByRole('button', { name: 'Save the impact matrix' }).click();
    await poll(() => page.getByTestId('impact-matrix').locator('tbody tr').count()).toBe(2);
    await expectAccessible(page);

    // The posture map: LT's expected threat is 0.5 × 5 + 0.5 × 1 = 3, high readiness.
    const openPosture = async () => {
      await page.getByRole('link', { name: /Situation/ }).click();
      await page.getByTestId('situation-map').waitFor();
      await page.getByTestId('toggle-posture').check();
      await page.getByTestId('posture-set').selectOption({ label: 'Console-built outlook' });
    };
    const lt = page.locator('[data-testid="posture-member"][data-member="LT"]').first();
    await openPosture();
    await poll(() => lt.getAttribute('data-readiness')).toBe('high');
    // Only sets LT may read are offered: LV's TLP:RED set is not.
    const offered = (await page.getByTestId('posture-set').textContent()) ?? '';
    expect(offered).toContain('How the war in Ukraine ends');
    expect(offered).not.toContain('LV restricted outlook');
    await lt.focus();
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('posture-drivers').textContent()).toBe(
      'LT: high readiness (expected threat 3.00). Drivers: Aggressor momentum 2.50, Negotiated settlement 0.50.',
    );
    await expectAccessible(page);

    // Ceasefire talks seen: the settlement rises, LT's threat falls below 3.
    await page.getByRole('link', { name: /^Outlook/ }).click();
    await page.getByTestId('set-list').getByRole('link', { name: 'Console-built outlook' }).click();
    const obs = page.getByTestId('add-observation');
    await obs.getByLabel('Seen', { exact: true }).check();
    await obs.getByRole('button', { name: 'Add observation' }).click();
    await poll(() => percent(page, 'negotiated-settlement')).toBeGreaterThan(50);
    await poll(() => page.locator('[data-testid="history-chart"] svg').count()).toBeGreaterThan(0);
    await openPosture();
    await poll(() => lt.getAttribute('data-readiness')).toBe('elevated');
    const list = page.getByTestId('posture-list');
    await list.locator('summary').click();
    expect(await list.locator('tr[data-member="LT"]').textContent()).toMatch(/^LTelevated2\.\d\d/);

    // The same on a phone: the list is the map's alternative, and the page stays accessible.
    await page.setViewportSize(PHONE);
    await list.locator('tr[data-member="PL"]').waitFor();
    await expectAccessible(page);

    // Still on the phone: a question and an ACH matrix from the console too.
    await page.goto(`${server.url}#/outlook/questions`);
    await page.getByTestId('new-question-link').click();
    const qf = page.getByTestId('new-question');
    await qf.getByLabel('Question', { exact: true }).fill('Will a ceasefire hold for 30 days by June?');
    await qf.getByLabel('Resolution criteria').fill('Both sides report no offensive operation for 30 days.');
    await qf.getByRole('button', { name: 'Create the question' }).click();
    const closes = qf.getByLabel('Closes at (your local time)');
    await poll(() => closes.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await closes.fill('2027-06-01T12:00');
    // Linked to the set's signpost: when it resolves, an observation is proposed to LT.
    await qf.getByLabel(/^Observes a signpost/).selectOption({ label: 'Console-built outlook' });
    await qf.getByLabel('Signpost', { exact: true }).selectOption('ceasefire-talks');
    await qf.getByRole('button', { name: 'Create the question' }).click();
    await poll(() => page.getByTestId('crowd').textContent()).toContain('shown once you have made your own');

    await page.goto(`${server.url}#/outlook/ach`);
    await page.getByTestId('new-ach-link').click();
    const af = page.getByTestId('new-ach');
    await af.getByLabel('Title', { exact: true }).fill('Who cut the Baltic cable?');
    await af.getByLabel('Hypothesis 1', { exact: true }).fill('A state service');
    await af.getByLabel('Hypothesis 2', { exact: true }).fill('An accident');
    await af.getByRole('button', { name: 'Create the matrix' }).click();
    const ev = page.getByTestId('add-evidence');
    await ev.getByLabel('Evidence', { exact: true }).fill('Anchor dragged for 100 km');
    await ev.getByLabel('Rating for “An accident”').selectOption('II');
    await ev.getByRole('button', { name: 'Add evidence' }).click();
    await poll(() => page.getByTestId('ach-best').textContent()).toContain('“A state service” is the least');
    await expectAccessible(page);
    expect(pageErrors(page)).toEqual([]);
  });
});
