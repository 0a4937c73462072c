/**
 * The briefing as one HTML document: the Markdown rendered by markdown-it (raw HTML off, so stored text
 * stays text), each `figure:` image replaced by its inline SVG, and the release printed as a banner at
 * the top and bottom (the PDF repeats it in every page's header and footer). Pure.
 */
import MarkdownIt from 'markdown-it';
import type { Release } from './briefing.ts';
import { tlpLabel, type Rendered } from './briefing.markdown.ts';
import { esc } from './svg.ts';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
const defaultImage = markdown.renderer.rules.image!;

/** FIRST TLP 2.0 colours (text on black). */
export const TLP_COLOURS: Readonly<Record<string, string>> = {
  clear: '#FFFFFF',
  green: '#33FF00',
  amber: '#FFC000',
  'amber+strict': '#FFC000',
  red: '#FF2B2B',
};

export function tlpBanner(r: Release): string {
  return `<span style="background:#000;color:${TLP_COLOURS[r.tlp]};font-weight:bold;padding:2px 8px;font-family:sans-serif">${esc(tlpLabel(r))}</span>`;
}

const STYLE = `
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11pt;color:#1b2631;max-width:190mm;margin:0 auto;padding:8px}
h1{font-size:20pt;margin:8px 0}h2{font-size:15pt;border-bottom:1px solid #aab7b8;margin-top:22px}h3{font-size:12pt}
table{border-collapse:collapse;width:100%;font-size:9pt;margin:6px 0 12px}th,td{border:1px solid #d5d8dc;padding:3px 5px;text-align:left;vertical-align:top}
th{background:#f2f3f4}figure{margin:8px 0;break-inside:avoid}figure svg{max-width:100%;height:auto}figcaption{font-size:9pt;color:#566573}
.release{margin:4px 0}code{font-size:8pt;word-break:break-all}
@page{size:A4;margin:18mm 12mm}`;

// Each `figure:ID` image becomes the inline SVG the render's env holds under ID; any other image renders as usual.
markdown.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  const id = src.startsWith('figure:') ? src.slice(7) : undefined;
  const held: unknown = (env as { figures?: unknown } | undefined)?.figures;
  const figures = (held ?? {}) as Record<string, string>;
  const svgText = id !== undefined && Object.hasOwn(figures, id) ? figures[id] : undefined;
  if (svgText === undefined) return defaultImage(tokens, idx, options, env, self);
  return `<figure>${svgText}<figcaption>${esc(token.content)}</figcaption></figure>`;
};

export function renderHtml(r: Rendered, release: Release, title: string): string {
  const body = markdown.render(r.markdown, { figures: r.figures });
  const banner = `<div class="release">${tlpBanner(release)}</div>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${banner}${body}${banner}</body></html>`;
}
