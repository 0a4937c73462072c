/**
 * Search queries built from what an analyst types, without a regex and within fixed bounds: at most
 * MAX_TERMS terms, each quoted so that no operator of the full-text syntax comes from the input. Pure.
 */
export const MAX_TERMS = 8;
const MAX_TERM_CHARS = 64;

/** The words of a query: split on whitespace, bounded in number and length. */
export function termsOf(q: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of q) {
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (cur) out.push(cur);
      cur = '';
      if (out.length >= MAX_TERMS) break;
    } else if (cur.length < MAX_TERM_CHARS) cur += ch;
  }
  if (cur && out.length < MAX_TERMS) out.push(cur);
  return out;
}

/** FTS5: every term a quoted phrase (quotes doubled), the last one a prefix; all must match. */
export function fts5Query(terms: readonly string[]): string {
  return terms.map((t, i) => `"${t.replaceAll('"', '""')}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
}

/** PostgreSQL to_tsquery('simple', …): every term a quoted lexeme (quotes and backslashes escaped), prefixes. */
export function tsQuery(terms: readonly string[]): string {
  return terms.map((t) => `'${t.toLowerCase().replaceAll('\\', '\\\\').replaceAll("'", "''")}':*`).join(' & ');
}

/** A short excerpt of a matched text around the first term it contains. */
export function excerpt(text: string, terms: readonly string[], width = 160): string {
  if (text.length <= width) return text;
  const lower = text.toLowerCase();
  let at = -1;
  for (const t of terms) {
    at = lower.indexOf(t.toLowerCase());
    if (at >= 0) break;
  }
  const start = Math.max(0, Math.min(text.length - width, at - Math.floor(width / 3)));
  return `${start > 0 ? '…' : ''}${text.slice(start, start + width)}${start + width < text.length ? '…' : ''}`;
}
