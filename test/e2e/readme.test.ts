/**
 * The README's "first five minutes", step by step as written: the demo server started as `npm start`
 * starts it (`serve --demo`, on a free port and a temporary data folder), the printed demo tokens, two
 * windows, a report at TLP:AMBER correlated with the demo campaign, a TLP:RED report the other member
 * never sees, Helsinki assessed on two dates, a council proposal under silence procedure broken by
 * another member, `audit verify`, and the API calls of step 5.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, expectAccessible, openBrowser, pageErrors, PHONE, poll, signIn } from './harness.ts';
import { hasService } from '../services.ts';
import { projectRoot } from '../../src/main.ts';

const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
let child: ChildProcess | undefined;
let dir = '';
let url = '';
const tokens = new Map<string, string>();

beforeAll(async () => {
  if (!hasService('chromium')) return;
  ensureConsoleBuilt();
  dir = mkdtempSync(join(tmpdir(), 'bulwark-readme-'));
  // `npm start` is `tsx src/cli.ts serve --demo` once the console is built; a free port and a temporary folder
  child = spawn(tsx, ['src/cli.ts', 'serve', '--demo', '--port', '0', '--data', dir], {
    cwd: projectRoot,
    env: { ...process.env, BULWARK_RATE_LIMIT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo server did not start:\n${out}`)), 150_000);
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Bulwark listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        url = m[1]!;
        clearTimeout(timer);
        resolve();
      }
    });
    child!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child!.on('exit', (code) => reject(new Error(`the demo server exited (${code}):\n${out}`)));
  });
  // "npm start prints the demo users and their API tokens"
  expect(out).toContain('Demo data loaded. Demo users (tokens also in');
  for (const m of out.matchAll(/^\s+(demo-\w+)\s+[A-Z]{2}\s+\w+\s+(bwk_\S+)$/gm)) tokens.set(m[1]!, m[2]!);
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function api<T>(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path.slice(1)}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe.skipIf(!hasService('chromium'))('the README’s first five minutes, as written', { timeout: 240_000 }, () => {
  it('walks through steps 1 to 5', async () => {
    const pl = tokens.get('demo-pl')!;
    const lt = tokens.get('demo-lt')!;
    expect(pl).toMatch(/^bwk_/);
    expect(lt).toMatch(/^bwk_/);
    const first = await openBrowser();
    const second = await openBrowser(); // "a second window (a private one)": its own cookies and storage
    try {
      // 1. sign in with the demo-pl token: members, partners, incidents, and the live badge
      const w1 = first.page;
      await signIn(w1, url, pl);
      await w1.locator('path.country.member').first().waitFor();
      expect(await w1.locator('path.country.partner').count()).toBeGreaterThan(0);
      await poll(() => w1.getByTestId('incident-marker').count()).toBeGreaterThan(0);
      await poll(() => w1.getByTestId('stream-state').getAttribute('data-state')).toBe('live');

      // 2. sign in as demo-lt in the second window and report at TLP:AMBER from the Report tab
      const w2 = second.page;
      await signIn(w2, url, lt);
      await w2
        .getByTestId('main-nav')
        .getByRole('link', { name: /^Report/ })
        .click();
      await w2.getByLabel('Title').fill('Copies of the Suwałki claim on a new site');
      await w2.getByLabel('Category').selectOption('disinformation');
      await w2.getByLabel('Description').fill('The same fabricated order, posted again with a new date.');
      await w2.getByRole('button', { name: 'Add observable' }).click();
      await w2.getByLabel('Observable 1 value').fill('baltic-truth-news[.]example');
      await w2.getByText('AMBER', { exact: true }).click();
      await w2.getByRole('button', { name: 'Share report' }).click();
      await w2.getByTestId('incident-detail').waitFor();
      // it appears in the first window, and is correlated with the demo campaign's reports
      await poll(() => w1.getByTestId('live-feed').textContent(), 20_000).toContain(
        'Copies of the Suwałki claim on a new site',
      );
      await poll(() => w2.getByTestId('correlations').locator('li').count(), 30_000).toBeGreaterThan(0);
      expect(await w2.getByTestId('correlations').textContent()).toContain('baltic-truth-news.example');

      // TLP:RED with no audience: the other member never sees it, nor a correlation that would reveal it
      await w2
        .getByTestId('main-nav')
        .getByRole('link', { name: /^Report/ })
        .click();
      await w2.getByLabel('Title').fill('Our own source inside the Suwałki channel');
      await w2.getByLabel('Category').selectOption('disinformation');
      await w2.getByLabel('Description').fill('A human source reports who runs the channel.');
      await w2.getByRole('button', { name: 'Add observable' }).click();
      await w2.getByLabel('Observable 1 value').fill('baltic-truth-news[.]example');
      await w2.getByText('RED', { exact: true }).click();
      await w2.getByRole('button', { name: 'Share report' }).click();
      await w2.getByTestId('incident-detail').waitFor();
      const red = decodeURIComponent(w2.url().split('/').pop()!);
      await poll(() => w2.getByTestId('correlations').locator('li').count(), 30_000).toBeGreaterThan(0);
      expect((await api(pl, 'GET', `/api/v1/incidents/${red}`)).status).toBe(404);
      const seen = await api<{ items: Array<{ id: string }> }>(pl, 'GET', '/api/v1/incidents?limit=500');
      expect(seen.body.items.map((i) => i.id)).not.toContain(red);
      expect(await w1.getByTestId('live-feed').textContent()).not.toContain('Our own source');

      // 3. click a place on the map (Helsinki) and assess an armed attack on 2023-01-15, then 2023-05-01
      await w1.locator('.place-label[data-place="Helsinki"]').click();
      await poll(() => w1.getByTestId('place-line').textContent()).toContain('Finland');
      await w1.getByLabel('Date', { exact: true }).fill('2023-01-15');
      await w1.getByLabel('Nature').selectOption('armed-attack');
      await w1.getByRole('button', { name: 'Assess', exact: true }).click();
      const result = w1.getByTestId('assessment-result');
      await poll(() => w1.getByTestId('article5').textContent()).toBe('Article 5: not covered');
      expect(await result.textContent()).toContain('2023-04-04');
      await w1.getByLabel('Date', { exact: true }).fill('2023-05-01');
      await w1.getByRole('button', { name: 'Assess', exact: true }).click();
      await poll(() => w1.getByTestId('article5').textContent()).toBe('Article 5: covered');
      expect(await result.textContent()).toMatch(/Article 5[\s\S]*Article 6|Article 6[\s\S]*Article 5/);
      await expectAccessible(w1);

      // 4. circulate a proposal under silence procedure; another member breaks silence (on a phone)
      await w1
        .getByTestId('main-nav')
        .getByRole('link', { name: /^Council/ })
        .click();
      await w1.getByRole('button', { name: 'New proposal' }).click();
      await w1.getByLabel('Title', { exact: true }).fill('Joint attribution of the Suwałki campaign');
      await w1.getByLabel('Procedure').selectOption('silence');
      await w1.getByLabel('Text').fill('The Allies attribute the Suwałki disinformation campaign jointly.');
      await w1.getByRole('button', { name: 'Circulate' }).click();
      await w1.getByTestId('proposal-detail').waitFor();
      await poll(() => w1.getByTestId('proposal-status').textContent()).toBe('Circulating');
      const phone = await openBrowser(PHONE);
      try {
        const p = phone.page;
        await signIn(p, url, lt);
        await p.getByRole('button', { name: 'Menu' }).click();
        await p.getByRole('link', { name: 'Council' }).click();
        await p.getByText('Joint attribution of the Suwałki campaign').click();
        await p.getByLabel('Break silence').check();
        await p.getByLabel(/Statement/).fill('Lithuania needs its own investigation to conclude first.');
        await p.getByRole('button', { name: 'Break silence…' }).click();
        await p.getByRole('dialog').getByRole('button', { name: 'Break silence' }).click();
        await poll(() => p.getByTestId('proposal-status').textContent()).toBe('Silence broken');
        expect(pageErrors(p)).toEqual([]);
      } finally {
        await phone.close();
      }
      await poll(() => w1.getByTestId('proposal-status').textContent(), 20_000).toBe('Silence broken');
      // `npm run --silent bulwark -- audit verify` checks the record (of this server's data folder)
      const verify = execFileSync(tsx, ['src/cli.ts', 'audit', 'verify', '--json'], {
        cwd: projectRoot,
        env: { ...process.env, BULWARK_DATA: dir },
        encoding: 'utf8',
      });
      expect(JSON.parse(verify)).toMatchObject({ ok: true });

      // 5. script it: the incidents list and the treaty assessment of the README's curl commands
      const list = await api<{ items: unknown[] }>(pl, 'GET', '/api/v1/incidents');
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      const assessed = await api<{ article5: string; partyIsMember: boolean }>(
        pl,
        'POST',
        '/api/v1/treaty/assessments',
        {
          occurredAt: '2023-01-15T00:00:00Z',
          location: { lat: 60.17, lon: 24.94 },
          target: { party: 'FI', kind: 'territory' },
          nature: 'armed-attack',
        },
      );
      expect(assessed.body).toMatchObject({ article5: 'not-covered', partyIsMember: false });
      expect((await fetch(`${url}docs`)).status).toBeLessThan(400);
      expect(pageErrors(w1)).toEqual([]);
      expect(pageErrors(w2)).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
