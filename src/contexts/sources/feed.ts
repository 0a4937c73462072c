/**
 * RSS, Atom, RDF and JSON Feed documents parsed by feedsmith into the items a source takes in. Each item has a
 * key (its GUID or id, else its link) by which it is taken once. Entity declarations are refused (no expansion
 * bombs), and so is a feed of more than MAX_ITEMS items.
 */
import { parseFeed } from 'feedsmith';
import { validation } from '../../platform/errors.ts';

export const MAX_ITEMS = 1000;

export interface FeedItem {
  key: string;
  title?: string;
  url?: string;
  publishedAt?: string;
  /** HTML content or summary; else plain text. */
  html?: string;
  text?: string;
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const val = (v: unknown): string | undefined =>
  str(v) ?? (v && typeof v === 'object' ? str((v as Loose).value) : undefined);

export function parseFeedItems(body: string): FeedItem[] {
  if (body.trim() === '') throw validation('feed', 'is empty');
  if (/<!ENTITY/i.test(body.slice(0, 10_000))) throw validation('feed', 'declares XML entities, which are refused');
  let parsed: { format: string; feed: Loose };
  try {
    parsed = parseFeed(body);
  } catch (e) {
    throw validation('feed', `is not an RSS, Atom or JSON feed (${(e as Error).message})`);
  }
  const raw = (parsed.feed.items ?? parsed.feed.entries ?? []) as Loose[];
  if (!Array.isArray(raw)) throw validation('feed', 'has no items');
  if (raw.length > MAX_ITEMS) throw validation('feed', `has more than ${MAX_ITEMS} items`);
  const out: FeedItem[] = [];
  for (const it of raw) {
    const links = Array.isArray(it.links) ? (it.links as Loose[]) : [];
    const url = str(it.link) ?? str(it.url) ?? str(links[0]?.href);
    const key = val(it.guid) ?? str(it.id) ?? url;
    if (!key) continue;
    const html = val(it.content) ?? str(it.content_html) ?? val(it.summary) ?? str(it.description) ?? undefined;
    const text = str(it.content_text);
    const date = str(it.pubDate) ?? str(it.published) ?? str(it.updated) ?? str(it.date_published);
    const t = date ? Date.parse(date) : NaN;
    out.push({
      key: key.slice(0, 500),
      ...(val(it.title) ? { title: val(it.title)!.slice(0, 500) } : {}),
      ...(url ? { url } : {}),
      ...(Number.isFinite(t) ? { publishedAt: new Date(t).toISOString() } : {}),
      ...(html ? { html } : text ? { text } : {}),
    });
  }
  return out;
}
