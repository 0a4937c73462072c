import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { PdfPrinter } from './briefing.pdf.ts';

const CHROMIUM = '/usr/bin/chromium';
const release = { tlp: 'amber' as const, audience: [] };

describe('the PDF printer starts its browser ahead of the first print', () => {
  let server: TestServer | undefined;
  const printers: PdfPrinter[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const p of printers.splice(0)) await p.close();
  });

  it('warm() starts Chromium in the background; a print then reuses it; idle and close stop it', async () => {
    const p = new PdfPrinter(CHROMIUM, { idleMs: 1500 });
    printers.push(p);
    expect(p.running).toBe(false);
    p.warm();
    expect(p.running, 'started at once, in the background').toBe(true);
    await p.ready();
    const t = performance.now();
    const pdf = await p.print('<!doctype html><title>t</title><p>WARMTEXT</p>', release, 'Warm');
    const warmPrint = performance.now() - t;
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-pdf-'));
    try {
      writeFileSync(join(dir, 'a.pdf'), pdf);
      expect(execFileSync('pdftotext', [join(dir, 'a.pdf'), '-'], { encoding: 'utf8' })).toContain('WARMTEXT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(warmPrint, 'a print on the warm browser does not start one').toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(p.running, 'closed after idleMs unused').toBe(false);
    await p.close();
    p.warm();
    expect(p.running, 'no warm-up after close').toBe(false);
  });

  it('never closes the browser under a print that outlasts idleMs; closes it idleMs after the last', async () => {
    // An idle time far shorter than a print: before, the timer armed at the print's start closed the browser under
    // it ("Target page, context or browser has been closed"), as a loaded CI machine showed with 1.5 s.
    const p = new PdfPrinter(CHROMIUM, { idleMs: 5 });
    printers.push(p);
    const pdfs = await Promise.all([
      p.print('<!doctype html><title>a</title><p>FIRST</p>', release, 'A'),
      p.print('<!doctype html><title>b</title><p>SECOND</p>', release, 'B'),
    ]);
    expect(pdfs.map((b) => b.subarray(0, 5).toString())).toEqual(['%PDF-', '%PDF-']);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.running, 'closed once idle').toBe(false);
  });

  it('the first briefing request of a signed-in user warms it; an anonymous one does not', async () => {
    server = await testServer({ config: {} });
    const printer = server.services.briefings.printer;
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/briefings' })).statusCode).toBe(401);
    expect(printer.running).toBe(false);
    const token = await server.token('PL');
    const r = await server.app.inject({
      method: 'GET',
      url: '/api/v1/briefings',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.statusCode).toBe(200);
    expect(printer.running).toBe(true);
    await printer.ready();
    expect(printer.running).toBe(true);
  });
});
