import type { Browser } from 'playwright-core';
import type { Release } from './briefing.ts';
import { tlpBanner } from './briefing.html.ts';

/**
 * Prints a briefing's HTML to PDF in Debian's Chromium through playwright-core, with the release in the
 * header and footer of every page. One browser is started on first use and kept; each print uses its
 * own offline context with JavaScript off (the document is the server's own HTML and needs neither).
 */
export class PdfPrinter {
  private browser: Promise<Browser> | undefined;

  constructor(private readonly executablePath: string) {}

  async print(html: string, release: Release, title: string): Promise<Buffer> {
    const browser = await this.start();
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      const band = (where: string) =>
        `<div style="width:100%;font-size:9px;padding:0 12mm;display:flex;justify-content:space-between;align-items:center">${tlpBanner(release)}<span style="font-family:sans-serif;color:#555">${where}</span></div>`;
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: band(escapeText(title.slice(0, 80))),
        footerTemplate: band('page <span class="pageNumber"></span> of <span class="totalPages"></span>'),
        margin: { top: '18mm', bottom: '18mm', left: '12mm', right: '12mm' },
      });
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b).close();
  }

  private start(): Promise<Browser> {
    if (!this.browser) {
      this.browser = import('playwright-core').then(({ chromium }) =>
        chromium.launch({ executablePath: this.executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
      );
      this.browser.catch(() => (this.browser = undefined));
    }
    return this.browser;
  }
}

function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
