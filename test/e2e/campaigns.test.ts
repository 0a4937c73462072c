import { describe, expect, it } from 'vitest';
import { loadDemo, type DemoUser } from '../../src/demo/demo.ts';
import { expectAccessible, goTo, openBrowser, pageErrors, poll, screenshot, signIn, e2eSetup } from './harness.ts';
import { hasService } from '../services.ts';

let users: DemoUser[];
const e2e = e2eSetup(async (s) => {
  users = (await loadDemo(s.services))!;
});

describe.skipIf(!hasService('chromium'))(
  'campaigns and coordinated responses (end to end, Chromium)',
  { timeout: 120_000 },
  () => {
    it('confirms a suggested demo campaign, creates a response and follows the allies’ tasks', async () => {
      const pl = users.find((u) => u.org === 'PL')!.token;
      const lt = users.find((u) => u.org === 'LT')!.token;
      const b = await openBrowser();
      try {
        const { page } = b;
        await signIn(page, e2e.server().url, pl);
        // keyboard: "g p" opens the campaigns; Tab to a suggestion and Enter opens it
        await goTo(page, 'p', 'campaigns');
        const suggestions = page.getByRole('list', { name: 'Suggested campaigns' });
        await suggestions.waitFor();
        const first = suggestions.getByRole('link').first();
        await first.focus();
        await first.press('Enter');
        const detail = page.getByTestId('campaign-detail');
        await poll(() => detail.getAttribute('data-status')).toBe('suggested');
        const rows = detail.getByTestId('campaign-incidents').locator('tbody tr');
        const incidentCount = await rows.count();
        expect(incidentCount).toBeGreaterThanOrEqual(2);
        // incidents by title with date and category, the reasons that joined them, a dated timeline, a graph
        await poll(() => rows.first().locator('a').textContent()).not.toMatch(/loading|^[0-9a-f]{8}$/);
        expect(await rows.first().locator('td').first().textContent()).toMatch(/^\d{4}-\d\d-\d\d$/);
        await poll(() => detail.getByTestId('campaign-links').locator('li').count()).toBeGreaterThan(0);
        expect(await detail.getByTestId('campaign-links').textContent()).toMatch(/↔.*% alike\): \S/);
        expect(await detail.getByTestId('campaign-timeline').textContent()).toMatch(/\d{4}-\d\d-\d\d/);
        await detail.getByTestId('campaign-graph').locator('canvas').first().waitFor();
        await expectAccessible(page);

        const form = page.getByRole('form', { name: 'Confirm campaign' });
        await form.getByLabel('Name').fill('Operation Grey Lantern');
        await form.getByLabel(/Confidence/).fill('85');
        await form.getByLabel('Release').selectOption('amber');
        await form.getByRole('button', { name: 'Confirm campaign' }).click();
        await poll(() => detail.getAttribute('data-status')).toBe('confirmed');
        await poll(() => detail.getByRole('heading', { level: 2 }).textContent()).toBe('Operation Grey Lantern');
        await page
          .getByRole('list', { name: 'Confirmed campaigns' })
          .getByRole('link', { name: 'Operation Grey Lantern' })
          .waitFor();

        // editing sits in the Actions menu, closed until asked for
        expect(await page.getByRole('form', { name: 'Rename campaign' }).isVisible()).toBe(false);
        await detail.getByTestId('campaign-actions').locator('summary').click();
        expect(await page.getByRole('form', { name: 'Rename campaign' }).isVisible()).toBe(true);
        await detail.getByTestId('campaign-actions').locator('summary').click();

        const campaignId = decodeURIComponent(page.url().split('#/campaigns/')[1] ?? '');
        const stored = await e2e
          .server()
          .api<{ status: string; confidence: number; author: string; incidents: string[] }>(
            pl,
            'GET',
            `/campaigns/${campaignId}`,
          );
        expect(stored.status).toBe(200);
        expect(stored.body).toMatchObject({ status: 'confirmed', confidence: 85, author: 'PL' });
        expect(stored.body.incidents).toHaveLength(incidentCount);

        // a coordinated response with a written course of action; PL and LT take part
        const responses = page.getByTestId('responses');
        await responses.getByRole('button', { name: 'New response' }).click();
        const rf = page.getByRole('form', { name: 'New coordinated response' });
        await rf.getByLabel('Title').fill('Joint takedown of the Grey Lantern botnet');
        await rf
          .getByLabel('Course of action', { exact: true })
          .fill('Sinkhole the shared C2 domains and publish indicators');
        const picker = rf.getByTestId('response-participants');
        for (const code of ['PL', 'LT'])
          if ((await picker.locator(`[data-code=${code}]`).getAttribute('aria-pressed')) !== 'true')
            await picker.locator(`[data-code=${code}]`).click();
        await rf.getByRole('button', { name: 'Create response' }).click();
        const card = responses.getByTestId('response');
        await card.waitFor();
        expect(await card.getAttribute('data-status')).toBe('planned');
        // the course of action reads by its name, not as a raw id
        await poll(() => card.getByTestId('course-of-action').textContent()).toBe(
          '“Sinkhole the shared C2 domains and publish indicators”',
        );

        const list = await e2e.server().api<{
          items: Array<{ id: string; target: string; tasks: Array<{ member: string; status: string }> }>;
        }>(lt, 'GET', `/responses?target=${campaignId}`);
        expect(list.status).toBe(200);
        expect(list.body.items).toHaveLength(1);
        const response = list.body.items[0]!;
        expect(response.tasks.map((t) => t.member)).toEqual(expect.arrayContaining(['PL', 'LT']));

        // PL updates its own task; it cannot edit an ally's row
        const own = card.getByRole('form', { name: 'Your task (PL)' });
        await own.getByLabel('Your task status').selectOption('in-progress');
        await own.getByLabel('Note for your allies').fill('C2 domains requested from registrars');
        await own.getByRole('button', { name: 'Update task' }).click();
        await poll(() => card.getAttribute('data-status')).toBe('in-progress');
        expect(await card.locator('tr[data-member=LT] select').count()).toBe(0);
        expect(
          (await e2e.server().api(pl, 'PATCH', `/responses/${response.id}/tasks/LT`, { status: 'done' })).status,
        ).toBe(403);

        // LT finishes its task elsewhere: PL sees it arrive over the live stream
        expect(
          (
            await e2e.server().api(lt, 'PATCH', `/responses/${response.id}/tasks/LT`, {
              status: 'done',
              note: 'Sinkholed 14 domains',
            })
          ).status,
        ).toBe(200);
        await poll(() => card.locator('tr[data-member=LT]').textContent()).toContain('Sinkholed 14 domains');
        await poll(() => card.locator('tr[data-member=LT]').textContent()).toContain('done');
        await screenshot(page, 'campaigns');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await b.close();
      }
    });
  },
);
