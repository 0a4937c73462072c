import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
  type E2eServer,
} from './harness.ts';
import { hasService } from '../services.ts';

/** A press statement naming one person three ways: in full with diacritics, without, and misspelled. */
const STATEMENT =
  'BRUSSELS — NATO Deputy Secretary General Mircea Geoană said on Tuesday that the North Atlantic Alliance ' +
  'would not send troops to Ukraine. "There is no formal request," Geoana stressed in Vilnius. ' +
  '"We are watching the border closely," Geoanna added.';
const EARLIER = 'VILNIUS — Deputy Secretary General Mircea Geoana told reporters that NATO was ready.';
const SURNAME_ONLY = 'Deputy Secretary General Geoanu warned that the drills would go on.';
const KALLAS_FULL = 'Foreign Minister Kaja Kallas said in Tallinn that the sanctions must continue.';
const KALLAS_SURNAME = 'Foreign Minister Kallas warned in Tallinn that the sanctions would be widened.';
const LT_ONLY = 'Defence Minister Laurynas Kasčiūnas said in Vilnius that the brigade would arrive early.';

let server: E2eServer;
let pl: string;
let lt: string;
let ltDoc: string;
let setId: string;

beforeAll(async () => {
  if (!hasService('chromium')) return;
  ensureConsoleBuilt();
  server = await startServer();
  pl = await server.user('PL');
  lt = await server.user('LT');
  await post(pl, 'Earlier wire', EARLIER);
  await post(pl, 'Kallas in Tallinn', KALLAS_FULL);
  ltDoc = await post(lt, 'LT eyes only', LT_ONLY, 'amber+strict');
  // LT's scenario set (AMBER: PL reads it) with a signpost a claim can be proposed for
  const set = await server.api<{ id: string }>(lt, 'POST', '/outlook/scenario-sets', {
    title: 'Alliance posture',
    question: 'Will the Alliance deploy?',
    horizon: '2027-12-31',
    scenarios: [
      { key: 'deploy', title: 'Deploys', prior: 0.5 },
      { key: 'hold', title: 'Holds', prior: 0.5 },
    ],
    tlp: 'amber',
  });
  setId = set.body.id;
  await server.api(lt, 'POST', `/outlook/scenario-sets/${setId}/signposts`, {
    key: 'request',
    title: 'Formal request for troops',
    likelihoods: { deploy: 0.8, hold: 0.2 },
  });
}, 180_000);

afterAll(async () => {
  await server?.close();
});

const post = async (token: string, title: string, text: string, tlp = 'green') => {
  // The first document loads the gazetteers inside its write; on a loaded machine the writes behind it
  // may be told to retry (503, Retry-After: 3), as any client is.
  for (let attempt = 0; ; attempt++) {
    const r = await server.api<{ id: string }>(token, 'POST', '/documents', { title, text, tlp });
    if (r.status === 503 && attempt < 5) {
      await new Promise((ok) => setTimeout(ok, 3000));
      continue;
    }
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id;
  }
};

const go = (page: Page, hash: string) => page.evaluate((h) => (window.location.hash = h), hash);

describe.skipIf(!hasService('chromium'))(
  'open sources in the console (end to end, Chromium)',
  { timeout: 150_000 },
  () => {
    it('reads a pasted statement, resolves the spellings with reasons, settles the review queue, hides others’ documents', async () => {
      const b = await openBrowser();
      try {
        const { page } = b;
        await signIn(page, server.url, pl);
        await page
          .getByRole('link', { name: /^Sources/ })
          .first()
          .click();
        const list = page.getByTestId('documents');
        await poll(() => list.textContent()).toContain('Earlier wire');
        // LT's AMBER+STRICT document is not PL's to read: not listed, not found, its speaker unknown
        expect(await list.textContent()).not.toContain('LT eyes only');

        // paste the statement
        await page.getByText('Add a document').click();
        await page.getByLabel('Title (optional)').fill('Press statement');
        await page.getByLabel('Text', { exact: true }).fill(STATEMENT);
        await page.getByRole('button', { name: 'Add and extract' }).click();
        const doc = page.getByTestId('document');
        await poll(() => doc.locator('h2').textContent(), 30_000).toBe('Press statement');
        const marks = doc.locator('[data-testid=document-text] a.mention');
        await poll(() => marks.allTextContents()).toEqual(
          expect.arrayContaining(['NATO', 'Mircea Geoană', 'North Atlantic Alliance', 'Geoana', 'Geoanna', 'Vilnius']),
        );
        // one person under three spellings, one alliance under two names
        const people = doc.getByTestId('entities-person');
        expect(await people.locator(':scope > li').count()).toBe(1);
        expect(await people.textContent()).toContain('“Geoanna”');
        expect(await doc.getByTestId('entities-organisation').locator(':scope > li').count()).toBe(1);
        // the claims and to whom the document attributes them
        const claims = doc.getByTestId('claims');
        expect(await claims.textContent()).toMatch(/attributes to Mircea Geoan[aă]:“There is no formal request”/);
        expect(await claims.textContent()).toContain('We are watching the border closely');
        expect(await doc.getByTitle(/^Mircea Geoan[aă] \(person\), also written/).count()).toBeGreaterThan(0);
        await expectAccessible(page);
        await screenshot(page, 'sources-document');

        // the resolved entity across documents, with the reasons of the join
        await marks.filter({ hasText: /^Geoanna$/ }).click();
        const entity = page.getByTestId('entity');
        await poll(() => entity.getByTestId('aliases').locator('li').allTextContents()).toHaveLength(4);
        const aliases = (await entity.getByTestId('aliases').locator('li strong').allTextContents()).sort();
        expect(aliases).toEqual(['Geoana', 'Geoanna', 'Mircea Geoana', 'Mircea Geoană']);
        const joins = await entity.getByTestId('joins').textContent();
        expect(joins).toMatch(/Joined automatically from .*(certain|strong) match/);
        expect(joins).toContain('written the same way');
        expect(await entity.getByTestId('entity-claims').textContent()).toContain('There is no formal request');
        await expectAccessible(page);

        // two uncertain matches arrive: a surname alone with a misspelling, and a minister by surname
        await server.api(pl, 'POST', '/documents', { title: 'Drills', text: SURNAME_ONLY, tlp: 'green' });
        await server.api(pl, 'POST', '/documents', { title: 'Sanctions', text: KALLAS_SURNAME, tlp: 'green' });
        await page.getByRole('link', { name: /^Review queue/ }).click();
        const review = page.getByTestId('review');
        const items = review.locator('li.card');
        await poll(() => items.count()).toBe(2);
        const geoanu = items.filter({ hasText: /Is Geoanu the same as Mircea Geoan[aă]\?/ });
        expect(await geoanu.textContent()).toContain('possible match');
        expect(await geoanu.textContent()).toContain('one of them is named by surname alone');
        await expectAccessible(page);
        await geoanu.getByRole('button', { name: 'Reject: different' }).click();
        await poll(() => items.count()).toBe(1);
        const kallas = items.filter({ hasText: 'Is Kallas the same as Kaja Kallas?' });
        expect(await kallas.textContent()).toContain('both are called');
        await kallas.getByRole('button', { name: 'Accept: the same' }).click();
        await poll(() => review.textContent()).toContain('Nothing to review');

        // the accepted match joined Kaja Kallas; the rejected one stays apart
        await page.getByLabel('Find a person, organisation or place').fill('kallas');
        await page.getByRole('button', { name: 'Find' }).click();
        const found = page.getByRole('list', { name: 'Entities named kallas' });
        await poll(() => found.locator(':scope > li').count()).toBe(1);
        await found.getByRole('link', { name: 'Kaja Kallas' }).click();
        await poll(() => entity.getByTestId('aliases').locator('li strong').allTextContents()).toEqual(
          expect.arrayContaining(['Kaja Kallas', 'Kallas']),
        );
        expect(await entity.getByTestId('edits').textContent()).toContain('merged another entity into this one');
        // split the wrong-looking spelling off again, then it is its own entity
        await entity.getByRole('button', { name: 'Split off “Kallas”' }).click();
        await poll(() => entity.getByTestId('aliases').locator('li strong').allTextContents()).toEqual(['Kaja Kallas']);

        // nothing of LT's restricted document: search and the direct address
        await page.getByLabel('Find a person, organisation or place').fill('Kasčiūnas');
        await page.getByRole('button', { name: 'Find' }).click();
        await poll(() => page.getByText('Nothing you may read is named “Kasčiūnas”.').count()).toBe(1);
        await go(page, `#/sources/${ltDoc}`);
        await poll(() => page.getByTestId('sources-detail').textContent()).toContain('Document could not be loaded');
        expect(await page.getByTestId('sources-detail').textContent()).not.toContain('brigade');

        await page.getByRole('link', { name: /^Feeds/ }).click();
        await poll(() => page.getByTestId('feeds').textContent()).toContain('No source yet');
        await expectAccessible(page);

        // a phone: the list, then a document, usable and accessible
        await page.setViewportSize(PHONE);
        await go(page, '#/sources');
        await poll(() => list.textContent()).toContain('Press statement');
        await expectAccessible(page);
        await list.getByRole('link', { name: 'Press statement' }).click();
        await poll(() => doc.locator('h2').textContent()).toBe('Press statement');
        expect(await page.getByRole('link', { name: '← Documents' }).isVisible()).toBe(true);
        // the tab's own content fits its box (the shell's top bar is the console's own)
        const overflow = await page.evaluate(() => {
          const box = document.querySelector('.sources')!.getBoundingClientRect();
          return [...document.querySelectorAll('.sources *')].filter(
            (e) => e.getBoundingClientRect().right > box.right + 1,
          ).length;
        });
        expect(overflow).toBe(0);
        await expectAccessible(page);
        await screenshot(page, 'sources-phone');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await b.close();
      }
    });
  },
);
