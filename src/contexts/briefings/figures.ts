/** Charts of a briefing as SVG: bars, stacked bars (pledged/allocated/delivered), a timeline. Pure. */
import { colourOf, esc, n, svg } from './svg.ts';

const W = 720;

/** Horizontal bars, one per key, longest first (at most `max`). */
export function barChart(
  label: string,
  counts: ReadonlyArray<{ key: string; n: number }>,
  max = 20,
  colours = false,
): string {
  const rows = [...counts].sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1)).slice(0, max);
  if (rows.length === 0) return svg(W, 30, label, `<text x="4" y="20">No data in the period.</text>`);
  const top = Math.max(...rows.map((r) => r.n), 1);
  const left = 170;
  const body = rows
    .map((r, i) => {
      const y = 6 + i * 22;
      const w = ((W - left - 60) * r.n) / top;
      return `<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(r.key)}</text><rect x="${left}" y="${y}" width="${n(w)}" height="16" fill="${colours ? colourOf(r.key) : '#34495e'}"/><text x="${n(left + w + 4)}" y="${y + 13}">${r.n}</text>`;
    })
    .join('');
  return svg(W, rows.length * 22 + 12, label, body);
}

export interface StackRow {
  label: string;
  pledged: number;
  allocated: number;
  delivered: number;
}

const STACK = [
  ['delivered', '#1e8449'],
  ['allocated', '#f1c40f'],
  ['pledged', '#aab7b8'],
] as const;

/** Stacked bars of amounts by status (one currency), with a legend. */
export function stackedBars(label: string, currency: string, rows: readonly StackRow[], max = 15): string {
  const shown = [...rows]
    .sort((a, b) => b.pledged + b.allocated + b.delivered - (a.pledged + a.allocated + a.delivered))
    .slice(0, max);
  if (shown.length === 0) return svg(W, 30, label, `<text x="4" y="20">No amounts in ${esc(currency)}.</text>`);
  const top = Math.max(...shown.map((r) => r.pledged + r.allocated + r.delivered), 1);
  const left = 170;
  const legend = STACK.map(
    ([k, c], i) =>
      `<rect x="${left + i * 110}" y="4" width="12" height="12" fill="${c}"/><text x="${left + i * 110 + 16}" y="14">${k}</text>`,
  ).join('');
  const body = shown
    .map((r, i) => {
      const y = 26 + i * 22;
      let x = left;
      const parts = STACK.map(([k, c]) => {
        const w = ((W - left - 110) * r[k]) / top;
        const part = `<rect x="${n(x)}" y="${y}" width="${n(w)}" height="16" fill="${c}"/>`;
        x += w;
        return part;
      }).join('');
      const total = r.pledged + r.allocated + r.delivered;
      return `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${esc(r.label)}</text>${parts}<text x="${n(x + 4)}" y="${y + 13}">${esc(formatAmount(total))}</text>`;
    })
    .join('');
  return svg(W, shown.length * 22 + 32, `${label} (${currency})`, legend + body);
}

/** 1234567.5 → "1.23 M", for chart labels (tables show exact amounts). */
export function formatAmount(v: number): string {
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)} bn`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(2);
}

/** Events on a time axis from the first start to `to` (a bar where an event has an end). */
export function timeline(
  label: string,
  events: ReadonlyArray<{ title: string; startedAt: string; endedAt: string | null }>,
  to: string,
  max = 30,
): string {
  const shown = events.slice(-max);
  if (shown.length === 0) return svg(W, 30, label, `<text x="4" y="20">No events.</text>`);
  const t0 = Math.min(...shown.map((e) => Date.parse(e.startedAt)));
  const t1 = Math.max(Date.parse(to), ...shown.map((e) => Date.parse(e.endedAt ?? e.startedAt))) + 1;
  const left = 10;
  const right = 330;
  const x = (t: string) => left + ((W - right - left) * (Date.parse(t) - t0)) / (t1 - t0);
  const years: string[] = [];
  for (let y = new Date(t0).getUTCFullYear(); y <= new Date(t1).getUTCFullYear(); y++) {
    const t = `${y}-01-01T00:00:00.000Z`;
    if (Date.parse(t) < t0) continue;
    years.push(
      `<line x1="${n(x(t))}" x2="${n(x(t))}" y1="0" y2="${shown.length * 18 + 4}" stroke="#ddd"/><text x="${n(x(t) + 2)}" y="${shown.length * 18 + 18}" fill="#777">${y}</text>`,
    );
  }
  const rows = shown
    .map((e, i) => {
      const y = 4 + i * 18;
      const a = x(e.startedAt);
      const b = e.endedAt ? Math.max(x(e.endedAt), a + 4) : a + 4;
      return `<rect x="${n(a)}" y="${y}" width="${n(b - a)}" height="12" fill="#2e4053"/><text x="${W - right + 8}" y="${y + 10}">${esc(e.startedAt.slice(0, 10))} ${esc(e.title.slice(0, 48))}</text>`;
    })
    .join('');
  return svg(W, shown.length * 18 + 24, label, years.join('') + rows);
}
