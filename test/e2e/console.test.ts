import { describe, expect, it } from 'vitest';
import { allianceProjection, MAP_H, MAP_W } from '../../web/src/map/geo.ts';
import { expectAccessible, goTo, openBrowser, pageErrors, poll, screenshot, signIn, e2eSetup } from './harness.ts';
import { hasService } from '../services.ts';
import type { Page } from 'playwright-core';

const e2e = e2eSetup();

/** Clicks the situation map at a geographic position, through the map's current view and scale. */
async function clickMapAt(page: Page, lon: number, lat: number): Promise<void> {
  const [x, y] = allianceProjection(MAP_W, MAP_H)([lon, lat])!;
  const [cx = 0, cy = 0] = await page
    .getByTestId('situation-map')
    .first()
    .evaluate(
      (svg, [px, py]: number[]) => {
        const [k, vx, vy] = (svg.getAttribute('data-view') ?? '1,0,0').split(',').map(Number) as [
          number,
          number,
          number,
        ];
        const p = new DOMPoint(px! * k + vx, py! * k + vy).matrixTransform((svg as SVGSVGElement).getScreenCTM()!);
        return [p.x, p.y];
      },
      [x, y],
    );
  await page.mouse.click(cx, cy);
}

describe.skipIf(!hasService('chromium'))('analyst console (end to end, Chromium)', { timeout: 120_000 }, () => {
  it('signs in, shows organisation and role, refuses a wrong token, signs out', async () => {
    const b = await openBrowser();
    try {
      const { page } = b;
      await page.goto(e2e.server().url);
      await page.getByLabel('API token').waitFor();
      await expectAccessible(page);
      await page.getByLabel('API token').fill('bwk_not-a-real-token-at-all-000000000000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await poll(() => page.getByTestId('signin-error').textContent()).toMatch(/unknown, revoked or expired/);

      const token = await e2e.server().user('PL', 'admin');
      await page.getByLabel('API token').fill(`Bearer ${token}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const identity = page.getByTestId('identity');
      await identity.waitFor();
      expect(await identity.textContent()).toContain('Poland');
      expect(await page.getByTestId('role').textContent()).toBe('admin');
      await poll(() => page.getByTestId('stream-state').getAttribute('data-state')).toBe('live');
      await page.locator('path.country.member').first().waitFor();
      expect(await page.locator('path.country.member').count()).toBeGreaterThan(30);
      expect(await page.locator('path.country.partner').count()).toBe(6);

      // keyboard: "g a" opens the admin panel (admins only), where a new user gets a token shown once
      await goTo(page, 'a', 'admin');
      await page.getByLabel('Name').fill('e2e-new-analyst');
      await page.getByRole('button', { name: 'Add user' }).click();
      const shown = await page.getByTestId('new-token').locator('code').textContent();
      expect(await e2e.server().services.users.authenticate(shown!)).toMatchObject({
        userName: 'e2e-new-analyst',
        org: 'PL',
      });
      await page.getByRole('cell', { name: 'e2e-new-analyst' }).waitFor();

      // the session survives a reload, and a second tab (or a shared link) signs in without the token …
      await page.reload();
      await identity.waitFor();
      const tab = await b.context.newPage();
      await tab.goto(`${e2e.server().url}#/incidents`);
      await tab.getByTestId('identity').waitFor();
      expect(await tab.getByTestId('role').textContent()).toBe('admin');
      // … on an httpOnly cookie no script reads, while no token is kept in the page's storage …
      expect(await tab.evaluate(() => document.cookie)).not.toContain('bulwark_session');
      expect(await tab.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).not.toContain('bwk_');
      const cookies = await b.context.cookies(e2e.server().url + 'api/v1/me');
      expect(cookies.find((c) => c.name === 'bulwark_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      await tab.close();
      // … ends with a clear message when the token is revoked meanwhile …
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('row', { name: /admin/ }).getByRole('button', { name: 'Revoke tokens' }).click();
      await poll(() => page.getByTestId('signin-error').textContent()).toMatch(/session ended/);
      await expectAccessible(page);
      // … and with sign-out, which signs out every tab
      await signIn(page, e2e.server().url, shown!);
      expect(await page.getByTestId('role').textContent()).toBe('analyst');
      expect(await page.getByRole('link', { name: /Admin/ }).count()).toBe(0);
      const other = await b.context.newPage();
      await other.goto(e2e.server().url);
      await other.getByTestId('identity').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API token').waitFor();
      await poll(() => other.getByTestId('signin-error').textContent()).toMatch(/signed out in another tab/);
      await other.reload();
      await other.getByLabel('API token').waitFor();
      await other.close();
      expect(pageErrors(page).filter((e) => !e.includes('401'))).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('breaks silence on a proposal in the council room and shows the decision record', async () => {
    const plToken = await e2e.server().user('PL');
    const frToken = await e2e.server().user('FR');
    const propose = (title: string, kind: string, text: string, silenceMs: number) =>
      e2e.server().api<{ id: string }>(plToken, 'POST', '/council/proposals', {
        title,
        kind,
        text,
        procedure: 'silence',
        silenceEndsAt: new Date(Date.now() + silenceMs).toISOString(),
      });
    const res = await propose(
      'Coordinated response to the Baltic cable cuts',
      'coordinated-response',
      'The Council agrees to deploy naval patrols along the Baltic Sea cables and to attribute the sabotage jointly.',
      6 * 3600_000,
    );
    expect(res.status).toBe(201);
    const proposal = res.body;
    const other = await propose(
      'Public statement on election interference',
      'public-statement',
      'The Allies condemn the coordinated disinformation campaign targeting the elections.',
      90 * 60_000,
    );
    expect(other.status).toBe(201);

    const b = await openBrowser();
    try {
      const { page } = b;
      await signIn(page, e2e.server().url, frToken);
      await page.getByRole('link', { name: /Council/ }).click();
      await page.getByText('Coordinated response to the Baltic cable cuts').click();
      await page.getByTestId('proposal-detail').waitFor();
      expect(await page.getByTestId('proposal-detail').getByTestId('countdown').textContent()).toMatch(
        /^0[56]:\d\d:\d\d$/,
      );
      // nothing is preselected, kinds read as words, and the page passes axe
      expect(await page.locator('input[name="position"]:checked').count()).toBe(0);
      expect(await page.getByTestId('proposal-detail').textContent()).toContain('Coordinated response');
      // ISO 8601 dates and a 24-hour clock by default; each user may choose the browser's own format
      expect(await page.getByTestId('proposal-detail').textContent()).toMatch(
        /proposed by PL on \d{4}-\d\d-\d\d \d\d:\d\d/,
      );
      await page.getByLabel('How dates are written').selectOption('locale');
      await poll(() => page.getByTestId('proposal-detail').textContent()).not.toMatch(/on \d{4}-\d\d-\d\d /);
      await page.getByLabel('How dates are written').selectOption('iso');
      await page.getByTestId('proposal-detail').waitFor();
      await expectAccessible(page);
      await page.getByLabel('Break silence').check();
      await page
        .getByLabel(/Statement/)
        .fill('France cannot agree to a joint attribution before its own investigation concludes.');
      // breaking silence asks first, naming what it does to everyone; Cancel changes nothing
      await page.getByRole('button', { name: 'Break silence…' }).click();
      const consequence = page.getByTestId('consequence');
      expect(await consequence.textContent()).toMatch(/ends the silence procedure at once for all 32 members/);
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await consequence.waitFor({ state: 'detached' });
      expect(await page.getByTestId('proposal-status').textContent()).toBe('Circulating');
      await page.getByRole('button', { name: 'Break silence…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Break silence' }).click();
      await poll(() => page.getByTestId('proposal-status').textContent()).toBe('Silence broken');
      const record = page.getByTestId('decision-record');
      await record.waitFor();
      expect(await record.textContent()).toContain('France cannot agree');
      expect(await page.locator('.pos.break-silence .code').textContent()).toBe('FR');
      expect(page.url()).toContain(encodeURIComponent(proposal.id));
      await page.getByRole('button', { name: 'All', exact: true }).click();
      await page.getByText('Public statement on election interference').waitFor();
      await screenshot(page, 'council-room');

      const stored = await e2e.server().services.council.get({ kind: 'system', name: 'e2e' }, proposal.id);
      expect(stored.status).toBe('silence-broken');
      // the proposer is not offered to break its own silence; withdrawing names its consequence too
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page, e2e.server().url, plToken);
      await page.goto(`${e2e.server().url}#/council/${encodeURIComponent(other.body.id)}`);
      await page.getByTestId('proposal-detail').waitFor();
      expect(await page.getByLabel('Concur').count()).toBe(1);
      expect(await page.getByLabel('Break silence').count()).toBe(0);
      await page.getByRole('button', { name: 'Withdraw…' }).click();
      expect(await page.getByTestId('consequence').textContent()).toMatch(/ends for all 32 members/);
      await page.keyboard.press('Escape');
      await page.getByTestId('consequence').waitFor({ state: 'detached' });
      expect(await page.getByTestId('proposal-status').textContent()).toBe('Circulating');
      // an address the console does not know is a real page, not a blank panel
      await page.goto(`${e2e.server().url}#/nowhere`);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      await expectAccessible(page);
      expect(pageErrors(page).filter((e) => !e.includes('401'))).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('reports an incident as one member and shows it live to another member', async () => {
    const plToken = await e2e.server().user('PL');
    const ltToken = await e2e.server().user('LT');
    // an earlier report sharing an observable, so the new one correlates with it
    const earlier = await e2e.server().api(plToken, 'POST', '/incidents', {
      title: 'Fake evacuation notices near Klaipėda port',
      description: 'SMS and web pages announcing a fake evacuation.',
      category: 'disinformation',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      location: { lat: 55.71, lon: 21.13 },
      affectedMembers: ['LT'],
      observables: [{ type: 'domain-name', value: 'klaipeda-evakuacija.info' }],
      tlp: 'green',
    });
    expect(earlier.status).toBe(201);

    const reporter = await openBrowser();
    const watcher = await openBrowser();
    try {
      await signIn(watcher.page, e2e.server().url, ltToken);
      await watcher.page.getByRole('link', { name: /Incidents/ }).click();
      await watcher.page.getByTestId('incident-row').first().waitFor();
      await poll(() => watcher.page.getByTestId('stream-state').getAttribute('data-state')).toBe('live');
      const before = await watcher.page.getByTestId('incident-row').count();

      const page = reporter.page;
      await signIn(page, e2e.server().url, plToken);
      await page.getByRole('link', { name: /Report/ }).click();
      await page.getByLabel('Title').fill('Cable-laying vessel loitering over the Klaipėda link');
      await page.getByLabel('Category').selectOption('sabotage');
      await page
        .getByLabel('Description')
        .fill('A vessel under a flag of convenience loitered for six hours over the subsea cable, AIS off.');
      await page.getByLabel('Latitude').fill('55.69');
      await page.getByLabel('Longitude').fill('20.95');
      await page.getByTestId('affected').locator('[data-code=LT]').click();
      await page.getByRole('button', { name: 'Add observable' }).click();
      await page.getByLabel('Observable 1 value').fill('klaipeda-evakuacija.info');
      await page.getByLabel(/Narratives/).fill('The port is unsafe and must be evacuated');
      await page.getByText('GREEN', { exact: true }).click();
      expect(await page.getByTestId('who-sees').textContent()).toMatch(
        /Every organisation: all 32 members and 6 partners/,
      );
      await page.getByRole('button', { name: 'Share report' }).click();
      const detail = page.getByTestId('incident-detail');
      await detail.waitFor();
      expect(await detail.textContent()).toContain('Cable-laying vessel loitering');
      expect(page.url()).toMatch(/#\/incidents\/incident--/);

      // the other member's console shows it without a reload
      await poll(() => watcher.page.getByTestId('incident-row').count(), 15_000).toBe(before + 1);
      await watcher.page.getByText('Cable-laying vessel loitering over the Klaipėda link').click();
      await watcher.page.getByTestId('incident-detail').waitFor();
      await watcher.page.getByRole('link', { name: /Situation/ }).click();
      await poll(() => watcher.page.getByTestId('live-feed').textContent(), 15_000).toContain('Cable-laying vessel');

      // correlation with the earlier report, with its reasons, then the detail screenshot
      await poll(() => page.getByTestId('correlations').locator('li').count(), 20_000).toBeGreaterThan(0);
      expect(await page.getByTestId('correlations').textContent()).toContain('Fake evacuation notices');
      await page.getByTestId('incident-assessment').getByTestId('assessment-result').waitFor();
      await screenshot(page, 'incident-detail');
      expect(pageErrors(page)).toEqual([]);
      expect(pageErrors(watcher.page)).toEqual([]);
    } finally {
      await reporter.close();
      await watcher.close();
    }
  });

  it('shows the connection state and catches up on what it missed while disconnected', async () => {
    const plToken = await e2e.server().user('PL');
    const report = async (title: string): Promise<void> => {
      const r = await e2e.server().api(plToken, 'POST', '/incidents', {
        title,
        description: title,
        category: 'cyber',
        occurredAt: new Date().toISOString(),
        affectedMembers: ['PL'],
        tlp: 'green',
      });
      expect(r.status).toBe(201);
    };
    const b = await openBrowser();
    try {
      const { page } = b;
      await signIn(page, e2e.server().url, await e2e.server().user('NO'));
      const pill = page.getByTestId('stream-state');
      await poll(() => pill.getAttribute('data-state')).toBe('live');
      await report('DDoS on the Oslo stock exchange');
      await poll(() => page.getByTestId('live-feed').textContent(), 15_000).toContain(
        'DDoS on the Oslo stock exchange',
      );

      // cut the stream: every reconnection attempt fails until the route is restored
      await page.route('**/api/v1/stream*', (route) => route.abort('connectionreset'));
      await pill.click(); // drops the connection at once
      await poll(() => pill.getAttribute('data-state'), 10_000).toBe('reconnecting');
      await report('Phishing wave against the Storting');
      await page.waitForTimeout(500);
      expect(await page.getByTestId('live-feed').textContent()).not.toContain('Phishing wave');

      await page.unroute('**/api/v1/stream*');
      await poll(() => pill.getAttribute('data-state'), 20_000).toBe('live');
      // the missed event is replayed (Last-Event-ID), not merely refetched
      await poll(() => page.getByTestId('live-feed').textContent(), 15_000).toContain(
        'Phishing wave against the Storting',
      );
      expect(await page.locator('.feed .pane-head').textContent()).toMatch(/caught up 1 missed/);
    } finally {
      await b.close();
    }
  });

  it('runs a treaty assessment from the map', async () => {
    const b = await openBrowser();
    try {
      const { page } = b;
      const ltToken = await e2e.server().user('LT');
      // a few reports across the alliance, so the overview shows the map in use
      const seeds: Array<[string, string, number, number, string]> = [
        ['Botnet traffic against Tallinn ministries', 'cyber', 59.44, 24.75, 'EE'],
        ['GPS jamming over the Gulf of Finland', 'airspace-violation', 60.1, 26.9, 'FI'],
        ['Drone incursion near Rzeszów', 'airspace-violation', 50.04, 22.0, 'PL'],
        ['Arson at a logistics depot in Leipzig', 'sabotage', 51.34, 12.37, 'DE'],
        ['Migrants pushed to the Latvian border', 'migration-pressure', 56.1, 27.6, 'LV'],
        ['Gas price threats against Moldova', 'economic-pressure', 47.0, 28.86, 'RO'],
        ['Deepfake of the Romanian president', 'disinformation', 44.43, 26.1, 'RO'],
        ['Funding of a separatist party', 'covert-support', 42.7, 23.32, 'BG'],
        ['Ransomware at a Norwegian port', 'cyber', 60.39, 5.32, 'NO'],
        ['Subsea cable cut north of Shetland', 'sabotage', 61.2, -1.2, 'GB'],
        ['Fake news sites targeting Canadian voters', 'disinformation', 45.42, -75.69, 'CA'],
        ['Intrusion at a US water utility', 'cyber', 39.95, -75.16, 'US'],
      ];
      for (const [title, category, lat, lon, member] of seeds) {
        const r = await e2e.server().api(ltToken, 'POST', '/incidents', {
          title,
          description: title,
          category,
          occurredAt: '2025-05-20T10:00:00Z',
          location: { lat, lon },
          affectedMembers: [member],
          tlp: 'amber',
        });
        expect(r.status).toBe(201);
      }
      await signIn(page, e2e.server().url, ltToken);
      await poll(() => page.getByTestId('incident-marker').count()).toBeGreaterThanOrEqual(8);
      // framed on the incidents, labelled, with a scale; every fill in the legend; axe passes
      const [k] = ((await page.getByTestId('situation-map').getAttribute('data-view')) ?? '').split(',').map(Number);
      expect(k).toBeGreaterThan(1);
      expect(await page.locator('.country-label').count()).toBeGreaterThan(3);
      expect(await page.locator('.place-label').count()).toBeGreaterThan(5);
      expect(await page.getByTestId('scale-bar').textContent()).toMatch(/^[125]0* km$/);
      expect(await page.locator('.legend').textContent()).toMatch(/member.*partner.*non-member.*treaty area/);
      await expectAccessible(page);
      // markers are reachable by keyboard, and listed for those who prefer a table
      await page.locator('details.map-list summary').click();
      expect(await page.locator('details.map-list tbody tr').count()).toBeGreaterThanOrEqual(12);
      await page.getByRole('button', { name: /Intrusion at a US water utility/ }).focus();
      await page.keyboard.press('Enter');
      await poll(() => page.url()).toContain('#/incidents/incident--');
      await page.goBack();
      await page.getByTestId('situation-map').waitFor();
      // "assess a place": a click on a marker picks the place, not the incident
      await page.getByTestId('assess-mode').click();
      await clickMapAt(page, 22.0, 50.04); // the Rzeszów marker
      await poll(() => page.getByTestId('place-line').textContent()).toContain('Poland');
      expect(page.url()).not.toContain('#/incidents/');
      await page.getByTestId('assess-mode').click();
      await clickMapAt(page, 21.01, 52.23); // Warsaw
      await poll(() => page.getByTestId('place-line').textContent()).toContain('Poland');
      await poll(() => page.getByLabel('Party attacked').inputValue()).toBe('PL');
      await page.getByLabel('Date', { exact: true }).fill('2025-06-01');
      await page.getByLabel('Nature').selectOption('armed-attack');
      await page.getByRole('button', { name: 'Assess', exact: true }).click();
      const result = page.getByTestId('assessment-result');
      await result.waitFor();
      expect(await page.getByTestId('article5').textContent()).toBe('Article 5: covered');
      expect(await result.textContent()).toMatch(/Article 5|Article 6/);
      expect(await result.locator('blockquote').count()).toBeGreaterThan(0);
      // README step 3 as written: click Helsinki, assess an armed attack on 2023-01-15, then on 2023-05-01
      await page.locator('.place-label[data-place="Helsinki"]').click();
      await poll(() => page.getByTestId('place-line').textContent()).toContain('Finland');
      await poll(() => page.getByLabel('Party attacked').inputValue()).toBe('FI');
      await page.getByLabel('Date', { exact: true }).fill('2023-01-15');
      await page.getByRole('button', { name: 'Assess', exact: true }).click();
      await poll(() => page.getByTestId('article5').textContent()).toBe('Article 5: not covered');
      expect(await result.textContent()).toContain('2023-04-04');
      await page.getByLabel('Date', { exact: true }).fill('2023-05-01');
      await page.getByRole('button', { name: 'Assess', exact: true }).click();
      await poll(() => page.getByTestId('article5').textContent()).toBe('Article 5: covered');
      expect(await result.textContent()).toMatch(/Article 5[\s\S]*Article 6|Article 6[\s\S]*Article 5/);
      // the place search finds a city by name
      await page.getByLabel('Find a place (country or city)').fill('vilni');
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('place-line').textContent()).toContain('Vilnius');
      await screenshot(page, 'console-overview');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
