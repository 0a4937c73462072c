/**
 * Forecast scoring (api.md, Outlook: forecast questions). Pure.
 * Brier (multi-category, as Good Judgment uses): Σ over options (p − o)², o = 1 for the outcome, 0 to 2.
 * Log: ln(p of the outcome). The crowd is, per option, the mean of each forecaster's latest probability.
 */

export type Distribution = Readonly<Record<string, number>>;

export function brier(options: readonly string[], forecast: Distribution, outcome: string): number {
  let s = 0;
  for (const o of options) {
    const d = (forecast[o] ?? 0) - (o === outcome ? 1 : 0);
    s += d * d;
  }
  return s;
}

export function logScore(forecast: Distribution, outcome: string): number {
  return Math.log(forecast[outcome] ?? 0);
}

/** Mean of the forecasts per option; null when there is none. */
export function crowd(options: readonly string[], forecasts: readonly Distribution[]): Record<string, number> | null {
  if (forecasts.length === 0) return null;
  const out: Record<string, number> = {};
  for (const o of options) {
    let s = 0;
    for (const f of forecasts) s += f[o] ?? 0;
    out[o] = s / forecasts.length;
  }
  return out;
}

export interface CalibrationBin {
  from: number;
  to: number;
  forecasts: number;
  /** Share of the bin's forecasts whose question resolved yes; null for an empty bin. */
  observed: number | null;
}

/** Which of the ten bins [k/10, (k+1)/10) a probability falls in; the last bin includes 1. */
export function binOf(p: number): number {
  return Math.min(9, Math.max(0, Math.floor(p * 10 + 1e-9)));
}

/** Calibration of probabilities given to `yes` against whether the question resolved `yes`. */
export function calibration(points: ReadonlyArray<{ p: number; yes: boolean }>): CalibrationBin[] {
  const n = Array.from({ length: 10 }, () => 0);
  const hits = Array.from({ length: 10 }, () => 0);
  for (const { p, yes } of points) {
    const k = binOf(p);
    n[k]!++;
    if (yes) hits[k]!++;
  }
  return n.map((count, k) => ({
    from: k / 10,
    to: (k + 1) / 10,
    forecasts: count,
    observed: count === 0 ? null : hits[k]! / count,
  }));
}
