/**
 * Checks on incoming text and HTML before anything is extracted: bounded size, not empty, not binary;
 * HTML through Mozilla Readability on linkedom (main text only), refusing markup bombs (too many elements,
 * too deep); the language by franc, as an ISO 639-1 code where one exists (else ISO 639-3, or "und").
 */
import { Readability } from '@mozilla/readability';
import { franc } from 'franc';
import { iso6393To1 } from 'iso-639-3';
import { parseHTML } from 'linkedom';
import { validation } from '../../platform/errors.ts';

/** Longest stored text (UTF-16 units): extraction stays well under a second. */
export const MAX_TEXT = 500_000;
export const MAX_HTML = 2 * 1024 * 1024;
export const MAX_ELEMENTS = 50_000;
export const MAX_DEPTH = 400;

/** Throws a 400 naming `field` when the text is empty, too long, or looks binary (NUL or many control characters). */
export function checkText(field: string, text: string): void {
  if (text.trim() === '') throw validation(field, 'is empty');
  if (text.length > MAX_TEXT) throw validation(field, `is longer than ${MAX_TEXT} characters`);
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw validation(field, 'holds NUL characters: binary data, not text');
    if (c === 0xfffd) control++;
    else if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  if (control > Math.max(8, text.length / 100))
    throw validation(field, 'holds control or undecodable characters: binary data or an unsupported encoding');
}

const VOID = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));

/** Counts elements and nesting depth in one linear pass; throws when the markup is a bomb. */
export function checkMarkup(field: string, html: string): void {
  if (html.length > MAX_HTML) throw validation(field, `is larger than ${MAX_HTML} bytes`);
  let elements = 0;
  let depth = 0;
  for (let i = html.indexOf('<'); i >= 0 && i < html.length; i = html.indexOf('<', i + 1)) {
    const next = html.charCodeAt(i + 1);
    if (next === 47 /* / */) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (!((next >= 65 && next <= 90) || (next >= 97 && next <= 122))) continue;
    elements++;
    let j = i + 1;
    while (j < html.length && j - i < 12 && /[a-zA-Z0-9]/.test(html[j]!)) j++;
    const close = html.indexOf('>', j);
    const selfClosing = close > 0 && html[close - 1] === '/';
    if (!VOID.has(html.slice(i + 1, j).toLowerCase()) && !selfClosing) depth++;
    if (elements > MAX_ELEMENTS) throw validation(field, `has more than ${MAX_ELEMENTS} elements`);
    if (depth > MAX_DEPTH) throw validation(field, `nests elements deeper than ${MAX_DEPTH}`);
  }
}

/** The main text and title of an HTML page (Readability), or its body text when Readability finds no article. */
export function htmlToText(field: string, html: string): { text: string; title?: string } {
  checkMarkup(field, html);
  // linkedom's types refer to the DOM library, which this server build does not load: the two fields used are typed here.
  // A fragment (a feed item's content) is put in a page first: Readability needs a whole document.
  const page = /<html[\s>]/i.test(html.slice(0, 4096))
    ? html
    : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  const parsed: unknown = parseHTML(page);
  const document = (parsed as { document: { body?: { textContent: string | null } | null } }).document;
  const article = new Readability(document as ConstructorParameters<typeof Readability>[0], {
    maxElemsToParse: MAX_ELEMENTS,
  }).parse();
  const raw = article?.textContent ?? document.body?.textContent ?? '';
  const text = normaliseSpace(raw);
  checkText(field, text);
  const title = article?.title?.trim() || undefined;
  return title ? { text, title } : { text };
}

/** Runs of blank lines become one blank line, runs of spaces one space, lines trimmed. */
export function normaliseSpace(s: string): string {
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** ISO 639-1 code of the text's language when franc can tell ("en", "pl"), else its ISO 639-3 code or "und". */
export function detectLanguage(text: string): string {
  const code = franc(text.slice(0, 20_000), { minLength: 20 });
  if (code === 'und') return 'und';
  return iso6393To1[code] ?? code;
}
