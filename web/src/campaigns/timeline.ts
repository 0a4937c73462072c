/** A dated axis for a campaign's incidents: ticks at round days, weeks or months, ISO dates. Pure. */
const DAY = 86_400_000;

export interface Tick {
  at: number;
  label: string;
}

/** About `count` ticks between `from` and `to` (ms), on day, week or month boundaries (UTC). */
export function ticks(from: number, to: number, count = 5): Tick[] {
  const span = Math.max(to - from, DAY);
  const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);
  const out: Tick[] = [];
  if (span / DAY > count * 25) {
    const months = Math.max(1, Math.ceil(span / (30 * DAY) / count));
    const d = new Date(from);
    let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    for (let i = 0; t <= to && i < 400; i++) {
      if (i % months === 0) out.push({ at: t, label: iso(t) });
      const n = new Date(t);
      t = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1);
    }
  } else {
    const step = Math.max(1, Math.ceil(span / DAY / count)) * DAY;
    for (let t = Math.ceil(from / DAY) * DAY; t <= to && out.length < 400; t += step)
      out.push({ at: t, label: iso(t) });
  }
  return out;
}

/** Where a time falls on an axis of `width` between `from` and `to`, with a margin. */
export function xOf(t: number, from: number, to: number, width: number, margin = 40): number {
  const span = Math.max(to - from, 1);
  return margin + ((t - from) / span) * (width - 2 * margin);
}
