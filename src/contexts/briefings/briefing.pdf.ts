import type { Browser } from 'playwright-core';
import type { Release } from './briefing.ts';
import { tlpBanner } from './briefing.html.ts';

/** A browser start that takes longer than this fails (and the next print or warm-up tries again). */
const LAUNCH_TIMEOUT_MS = 30_000;

export interface PrinterOptions {
  /** The browser is closed after this long without a print or a warm-up (0: kept until close). */
  idleMs?: number;
  /** Told when a warm-up failed (the print that needs the browser then reports it). */
  onWarmError?: (err: unknown) => void;
}

/**
 * Prints a briefing's HTML to PDF in Debian's Chromium through playwright-core, with the release in the
 * header and footer of every page. One browser at most: started by `warm()` (in the background, when
 * briefings are first asked for) or by the first print, kept while used, closed after `idleMs` without use
 * and on close; each print uses its own offline context with JavaScript off (the document is the server's
 * own HTML and needs neither).
 */
export class PdfPrinter {
  private browser: Promise<Browser> | undefined;
  private warming: Promise<void> | undefined;
  private idle: NodeJS.Timeout | undefined;
  private closed = false;
  /** Prints and warm-ups running: the idle timer never closes the browser under them. */
  private inFlight = 0;

  constructor(
    private readonly executablePath: string,
    private readonly options: PrinterOptions = {},
  ) {}

  /**
   * Starts the browser and prints a one-line page once, in the background, so that the first real print
   * does not wait for Chromium to start and load its PDF code. Returns at once; calling it again while the
   * browser is up only keeps it from idling out. `ready()` waits for it.
   */
  warm(): void {
    this.touch();
    if (this.closed || this.warming) return;
    this.warming = this.render('<!doctype html><title>warm-up</title><p>warm-up</p>', false)
      .then(() => undefined)
      .catch((err: unknown) => {
        this.warming = undefined;
        this.options.onWarmError?.(err);
      });
  }

  /** Whether a browser is started or starting. */
  get running(): boolean {
    return this.browser !== undefined;
  }

  /** Resolves when a warm-up started by `warm()` has ended (at once when none was started). */
  async ready(): Promise<void> {
    await this.warming;
  }

  async print(html: string, release: Release, title: string): Promise<Buffer> {
    this.touch();
    const band = (where: string) =>
      `<div style="width:100%;font-size:9px;padding:0 12mm;display:flex;justify-content:space-between;align-items:center">${tlpBanner(release)}<span style="font-family:sans-serif;color:#555">${where}</span></div>`;
    return this.render(html, true, {
      headerTemplate: band(escapeText(title.slice(0, 80))),
      footerTemplate: band('page <span class="pageNumber"></span> of <span class="totalPages"></span>'),
    });
  }

  private async render(
    html: string,
    bands: boolean,
    templates: { headerTemplate?: string; footerTemplate?: string } = {},
  ): Promise<Buffer> {
    this.inFlight++;
    try {
      return await this.renderOn(await this.start(), html, bands, templates);
    } finally {
      this.inFlight--;
      // Idle from the end of the last use, not its start: a print longer than idleMs (on a loaded machine) was cut.
      this.touch();
    }
  }

  private async renderOn(
    browser: Browser,
    html: string,
    bands: boolean,
    templates: { headerTemplate?: string; footerTemplate?: string },
  ): Promise<Buffer> {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: bands,
        ...templates,
        margin: { top: '18mm', bottom: '18mm', left: '12mm', right: '12mm' },
      });
    } finally {
      await context.close();
    }
  }

  /** Closes the browser (a later print or warm-up starts a new one); `final` refuses warm-ups from then on. */
  async close(final = true): Promise<void> {
    if (final) this.closed = true;
    clearTimeout(this.idle);
    this.idle = undefined;
    const b = this.browser;
    this.browser = undefined;
    this.warming = undefined;
    if (b) await (await b.catch(() => undefined))?.close();
  }

  private touch(): void {
    const ms = this.options.idleMs ?? 0;
    if (ms <= 0 || this.closed) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.inFlight === 0) void this.close(false);
    }, ms);
    this.idle.unref();
  }

  private start(): Promise<Browser> {
    if (!this.browser) {
      this.browser = import('playwright-core').then(({ chromium }) =>
        chromium.launch({
          executablePath: this.executablePath,
          args: ['--no-sandbox', '--disable-dev-shm-usage'],
          timeout: LAUNCH_TIMEOUT_MS,
        }),
      );
      this.browser.catch(() => (this.browser = undefined));
    }
    return this.browser;
  }
}

function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
