/**
 * Layout of what the situation map draws over the countries: the first view (framed on the incidents,
 * else on the eastern flank), labels placed without overlap, and the scale bar. Pure.
 */
import { geoDistance, type GeoProjection } from 'd3-geo';

export interface View {
  k: number;
  x: number;
  y: number;
}

export const clampK = (k: number): number => Math.max(1, Math.min(24, k));

/** The eastern flank, from Norway's north cape to the Black Sea: the view when nothing is placed. */
export const EASTERN_FLANK: ReadonlyArray<[number, number]> = [
  [12, 42],
  [36, 42],
  [36, 70],
  [12, 70],
];

/** A view that shows every point (map units) with a margin, in a w×h drawing; at least zoom 1. */
export function fitView(points: ReadonlyArray<[number, number]>, w: number, h: number, pad = 40): View {
  if (points.length === 0) return { k: 1, x: 0, y: 0 };
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  const bw = Math.max(x1 - x0, 60);
  const bh = Math.max(y1 - y0, 40);
  const k = clampK(Math.min(8, (w - 2 * pad) / bw, (h - 2 * pad) / bh));
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { k, x: w / 2 - k * cx, y: h / 2 - k * cy };
}

export interface LabelCandidate {
  key: string;
  text: string;
  /** Map units (before the view's transform). */
  x: number;
  y: number;
  /** Higher first. */
  priority: number;
  /** Smallest zoom at which the label may show. */
  minK: number;
}

export interface PlacedLabel extends LabelCandidate {
  /** Screen units (after the view's transform). */
  sx: number;
  sy: number;
}

/**
 * Labels that fit: by priority, each kept only when its box (estimated from its length) overlaps no
 * label kept before and lies in the w×h drawing. At most `max` labels; quadratic in what is kept.
 */
export function placeLabels(
  candidates: readonly LabelCandidate[],
  view: View,
  w: number,
  h: number,
  opts: { charW?: number; lineH?: number; max?: number } = {},
): PlacedLabel[] {
  const charW = opts.charW ?? 6.4;
  const lineH = opts.lineH ?? 13;
  const max = opts.max ?? 120;
  const kept: PlacedLabel[] = [];
  const boxes: Array<[number, number, number, number]> = [];
  const sorted = [...candidates].sort((a, b) => b.priority - a.priority);
  for (const c of sorted) {
    if (kept.length >= max) break;
    if (view.k < c.minK) continue;
    const sx = c.x * view.k + view.x;
    const sy = c.y * view.k + view.y;
    const half = (c.text.length * charW) / 2;
    const box: [number, number, number, number] = [sx - half - 2, sy - lineH / 2, sx + half + 2, sy + lineH / 2];
    if (box[2] < 0 || box[0] > w || box[3] < 0 || box[1] > h) continue;
    if (boxes.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3])) continue;
    boxes.push(box);
    kept.push({ ...c, sx, sy });
  }
  return kept;
}

const NICE = [1, 2, 5];

/** A scale bar of a round length (km) about `target` screen units long, at the drawing's centre. */
export function scaleBar(
  projection: GeoProjection,
  view: View,
  w: number,
  h: number,
  target = 110,
): { km: number; length: number } | null {
  if (!projection.invert) return null;
  const cx = (w / 2 - view.x) / view.k;
  const cy = (h / 2 - view.y) / view.k;
  const a = projection.invert([cx, cy]);
  const b = projection.invert([cx + target / view.k, cy]);
  if (!a || !b) return null;
  const kmPerTarget = geoDistance(a, b) * 6371;
  if (!(kmPerTarget > 0)) return null;
  const mag = 10 ** Math.floor(Math.log10(kmPerTarget));
  let km = mag;
  for (const n of NICE) if (n * mag <= kmPerTarget) km = n * mag;
  return { km, length: (km / kmPerTarget) * target };
}

/** The eastern flank framed in a w×h drawing. */
export function easternFlankView(projection: GeoProjection, w: number, h: number): View {
  return fitView(
    EASTERN_FLANK.flatMap((ll) => {
      const xy = projection(ll);
      return xy ? [xy] : [];
    }),
    w,
    h,
  );
}
