/**
 * End-to-end harness: a real Bulwark server in-process (port 0, temp SQLite dir) serving the built
 * console, and Debian's Chromium driven by playwright-core, one fresh profile per browser.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createApp, createServices, projectRoot, type Services } from '../../src/main.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { silentLogger } from '../../src/platform/log.ts';
import type { App } from '../../src/platform/http/app.ts';
import { CHROMIUM_PATH, hasService } from '../services.ts';

/**
 * Where the end-to-end tests save their screenshots: an ignored folder, so that a test run leaves the
 * work tree clean. `npm run screenshots` points it at docs/screenshots to refresh the README's images.
 */
export const screenshotDir = process.env.BULWARK_SCREENSHOT_DIR ?? join(projectRoot, 'test-results', 'screenshots');

/** Builds dist/web when it is missing or older than web/ (scripts/ensure-web.mjs). */
export function ensureConsoleBuilt(): void {
  execFileSync(process.execPath, [join(projectRoot, 'scripts', 'ensure-web.mjs')], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
}

export interface E2eServer {
  url: string;
  services: Services;
  app: App;
  /** Creates a user of `org` and returns its token. */
  user(org: string, role?: 'analyst' | 'admin'): Promise<string>;
  has(method: 'GET' | 'POST', url: string): boolean;
  /** Calls /api/v1`path` as the holder of `token`, with `body` as JSON when given. */
  api<T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

let n = 0;

export async function startServer(): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  const config = loadConfig({ data: dir, port: 0, host: '127.0.0.1' }, { BULWARK_RATE_LIMIT: '0' });
  const services = await createServices(config, { log: silentLogger });
  const app = await createApp(services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    services,
    app,
    user: async (org, role = 'analyst') =>
      (await services.users.create({ member: org, name: `e2e-${org}-${++n}-${process.pid}`, role })).token,
    has: (method, url) => app.hasRoute({ method, url }),
    api: async <T>(token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}api/v1${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    close: async () => {
      await app.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface E2eBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

/**
 * One Chromium per test file, launched on first use and closed after the file's tests: launching the
 * browser is the slow part, a context in it costs milliseconds and is as fresh as a new profile (its
 * own cookies, storage and cache).
 */
let shared: Promise<Browser> | undefined;
function browser(): Promise<Browser> {
  shared ??= chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  return shared;
}
afterAll(async () => {
  const b = shared;
  shared = undefined;
  await (await b)?.close();
});

/** A fresh browser context (its own sessionStorage, cache and cookies) at a desktop or phone size. */
export async function openBrowser(viewport = DESKTOP): Promise<E2eBrowser> {
  const context = await (
    await browser()
  ).newContext({
    viewport,
    ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // a CSP violation or script error must not pass silently
    if (m.type() === 'error' && !m.text().includes('status of 4')) errors.push(m.text());
  });
  (page as Page & { errors?: string[] }).errors = errors;
  return { context, page, close: () => context.close() };
}

/**
 * The set-up every end-to-end file shares: the console built, one server for the file's tests (started
 * before them, `prepare`d, e.g. with the demo data, and closed after), and Chromium. Call it at the top of the file; the answer gives the
 * server once it runs, and signs a new user of an organisation into a fresh browser.
 */
export function e2eSetup(prepare?: (server: E2eServer) => Promise<void>): {
  server(): E2eServer;
  signedIn(
    org: string,
    opts?: { role?: 'analyst' | 'admin'; viewport?: typeof DESKTOP },
  ): Promise<E2eBrowser & { token: string }>;
} {
  let server: E2eServer | undefined;
  beforeAll(async () => {
    if (!hasService('chromium')) return;
    ensureConsoleBuilt();
    server = await startServer();
    await prepare?.(server);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
  });
  const get = (): E2eServer => {
    if (!server) throw new Error('the end-to-end server is not running');
    return server;
  };
  return {
    server: get,
    signedIn: async (org, opts = {}) => {
      const token = await get().user(org, opts.role);
      const b = await openBrowser(opts.viewport);
      await signIn(b.page, get().url, token);
      return { ...b, token };
    },
  };
}

/** Retries an assertion's subject until it holds: a loaded CI machine is slower than a laptop. */
export function poll<T>(fn: () => T | Promise<T>, timeout = 15_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('identity').waitFor();
}

/**
 * Opens a view by its "g then key" shortcut and waits until the address names it. The console forgets the "g"
 * after 1.2 s (web/src/app/hotkeys.ts); two presses through a locator each wait for its actionability checks, and on
 * a loaded machine (the full suite in CI) the second once came too late and nothing opened. So the keys go straight
 * to the page, and again if the view did not open.
 */
export async function goTo(page: Page, key: string, view: string): Promise<void> {
  const opened = (u: URL) => u.hash === `#/${view}` || u.hash.startsWith(`#/${view}/`);
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('g');
    await page.keyboard.press(key);
    try {
      await page.waitForURL(opened, { timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw new Error(`"g ${key}" did not open #/${view} in ${attempt} attempts`, { cause: e });
    }
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** One axe-core finding, trimmed to what a failing assertion should show. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (injected from node_modules, no downloaded browser) on the page as it stands and answers
 * its serious and critical violations: every screen the tests visit must have none.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeFinding[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            opts: object,
          ): Promise<{
            violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
          }>;
        };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => String(n.target)),
      }));
  });
}

/** Asserts that axe-core finds no serious or critical violation on the page. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
}
