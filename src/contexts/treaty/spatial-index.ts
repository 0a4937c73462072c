import Flatbush from 'flatbush';
import { lonDegreesFor, segmentDistanceKm, KM_PER_DEG_LAT, TERRITORIAL_SEA_KM, type Ring } from './geometry.ts';

/**
 * A point-location index over many polygons. A Flatbush R-tree over each polygon's bounding box
 * (grown by the buffer distance) finds the candidates; each polygon carries its own grid of
 * 0.25° cells that knows, for every cell, whether the cell centre is inside the polygon and which
 * edges lie within `bufferKm` of the cell. A query is then O(1) in open water and deep inland,
 * and touches only a handful of edges near a coast: no scan of every polygon, nor of every edge.
 * Pure: no I/O.
 */
export interface PartGrid {
  ox: number;
  oy: number;
  w: number;
  h: number;
  /** Segments as x1,y1,x2,y2 quadruples (single precision: about 1 m). */
  segs: Float32Array;
  /** Start offsets into cellSegs per cell (length w*h+1). */
  cellStart: Int32Array;
  /** Segment numbers per cell (16-bit when the polygon has fewer than 65,536 segments). */
  cellSegs: Int32Array | Uint16Array;
  /** 1 when the cell centre (on the shifted scanline) is inside. */
  centreIn: Uint8Array;
}

export interface Hit {
  part: number;
  inside: boolean;
  /** 0 when inside; distance to the nearest edge in km when within the buffer. */
  distanceKm: number;
}

const EPS = 1.37e-7;

export interface IndexOptions {
  bufferKm: number;
  cellDeg: number;
}

export const DEFAULT_INDEX_OPTIONS: IndexOptions = { bufferKm: TERRITORIAL_SEA_KM, cellDeg: 0.25 };

export function buildPartGrid(rings: readonly Ring[], opts: IndexOptions): PartGrid {
  let n = 0;
  for (const r of rings) n += r.length - 1;
  const segs = new Float32Array(n * 4);
  let k = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rings)
    for (let i = 1; i < r.length; i++) {
      const [x1, y1] = r[i - 1]!;
      const [x2, y2] = r[i]!;
      segs[k++] = x1;
      segs[k++] = y1;
      segs[k++] = x2;
      segs[k++] = y2;
    }
  // Everything below reads the single-precision copy, so that build and query agree exactly.
  for (let q = 0; q < segs.length; q += 2) {
    const x = segs[q]!;
    const y = segs[q + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const c = opts.cellDeg;
  const latM = opts.bufferKm / KM_PER_DEG_LAT;
  const lonM = lonDegreesFor(opts.bufferKm, Math.max(Math.abs(minY), Math.abs(maxY)) + latM);
  const ox = Math.floor((minX - lonM) / c) * c;
  const oy = Math.floor((minY - latM) / c) * c;
  const w = Math.max(1, Math.ceil((maxX + lonM - ox) / c));
  const h = Math.max(1, Math.ceil((maxY + latM - oy) / c));
  const cellRange = (s: number): [number, number, number, number] => {
    const x1 = segs[s * 4]!;
    const y1 = segs[s * 4 + 1]!;
    const x2 = segs[s * 4 + 2]!;
    const y2 = segs[s * 4 + 3]!;
    const m = lonDegreesFor(opts.bufferKm, Math.max(Math.abs(y1), Math.abs(y2)) + latM);
    const i0 = Math.max(0, Math.floor((Math.min(x1, x2) - m - ox) / c));
    const i1 = Math.min(w - 1, Math.floor((Math.max(x1, x2) + m - ox) / c));
    const j0 = Math.max(0, Math.floor((Math.min(y1, y2) - latM - oy) / c));
    const j1 = Math.min(h - 1, Math.floor((Math.max(y1, y2) + latM - oy) / c));
    return [i0, i1, j0, j1];
  };
  const counts = new Int32Array(w * h + 1);
  for (let s = 0; s < n; s++) {
    const [i0, i1, j0, j1] = cellRange(s);
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) counts[j * w + i + 1]!++;
  }
  for (let q = 1; q <= w * h; q++) counts[q]! += counts[q - 1]!;
  const cellStart = counts;
  const cellSegs = n < 65536 ? new Uint16Array(cellStart[w * h]!) : new Int32Array(cellStart[w * h]!);
  const fill = cellStart.slice(0, w * h);
  for (let s = 0; s < n; s++) {
    const [i0, i1, j0, j1] = cellRange(s);
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) cellSegs[fill[j * w + i]!++] = s;
  }
  // Scanline through each row's (shifted) centre: crossings sorted by x give every centre's parity.
  const rows: number[][] = Array.from({ length: h }, () => []);
  for (let s = 0; s < n; s++) {
    const x1 = segs[s * 4]!;
    const y1 = segs[s * 4 + 1]!;
    const x2 = segs[s * 4 + 2]!;
    const y2 = segs[s * 4 + 3]!;
    const j0 = Math.max(0, Math.floor((Math.min(y1, y2) - oy) / c - 0.5));
    const j1 = Math.min(h - 1, Math.ceil((Math.max(y1, y2) - oy) / c));
    for (let j = j0; j <= j1; j++) {
      const yc = oy + (j + 0.5) * c + EPS;
      if (y1 > yc !== y2 > yc) rows[j]!.push(x1 + ((yc - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  const centreIn = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) {
    const xs = rows[j]!.sort((a, b) => a - b);
    let p = 0;
    for (let i = 0; i < w; i++) {
      const xc = ox + (i + 0.5) * c;
      while (p < xs.length && xs[p]! < xc) p++;
      centreIn[j * w + i] = p & 1;
    }
  }
  return { ox, oy, w, h, segs, cellStart, cellSegs, centreIn };
}

/** Locates (x, y) against one polygon's grid: null when outside and farther than the buffer. */
export function locateInGrid(
  g: PartGrid,
  x: number,
  y: number,
  c: number,
  bufferKm: number,
): { inside: boolean; distanceKm: number } | null {
  const i = Math.floor((x - g.ox) / c);
  const j = Math.floor((y - g.oy) / c);
  if (i < 0 || j < 0 || i >= g.w || j >= g.h) return null;
  const cell = j * g.w + i;
  const a = g.cellStart[cell]!;
  const b = g.cellStart[cell + 1]!;
  const centre = g.centreIn[cell] === 1;
  if (a === b) return centre ? { inside: true, distanceKm: 0 } : null;
  const xc = g.ox + (i + 0.5) * c;
  const yc = g.oy + (j + 0.5) * c + EPS;
  const lo = Math.min(xc, x);
  const hi = Math.max(xc, x);
  const ylo = Math.min(yc, y);
  const yhi = Math.max(yc, y);
  const s = g.segs;
  let parity = centre ? 1 : 0;
  for (let q = a; q < b; q++) {
    const o = g.cellSegs[q]! * 4;
    const x1 = s[o]!;
    const y1 = s[o + 1]!;
    const x2 = s[o + 2]!;
    const y2 = s[o + 3]!;
    // Leg 1: along the centre's scanline from xc to x.
    if (y1 > yc !== y2 > yc) {
      const xi = x1 + ((yc - y1) * (x2 - x1)) / (y2 - y1);
      if (xi >= lo && xi < hi) parity ^= 1;
    }
    // Leg 2: vertical from (x, yc) to (x, y).
    if (x1 > x !== x2 > x) {
      const yi = y1 + ((x - x1) * (y2 - y1)) / (x2 - x1);
      if (yi >= ylo && yi < yhi) parity ^= 1;
    }
  }
  if (parity === 1) return { inside: true, distanceKm: 0 };
  let best = Infinity;
  for (let q = a; q < b; q++) {
    const o = g.cellSegs[q]! * 4;
    const d = segmentDistanceKm(x, y, s[o]!, s[o + 1]!, s[o + 2]!, s[o + 3]!);
    if (d < best) best = d;
  }
  return best <= bufferKm ? { inside: false, distanceKm: best } : null;
}

export class PolygonIndex {
  readonly grids: PartGrid[];
  private readonly tree: Flatbush;
  private readonly opts: IndexOptions;

  constructor(parts: readonly (readonly Ring[])[], opts: IndexOptions = DEFAULT_INDEX_OPTIONS, grids?: PartGrid[]) {
    this.opts = opts;
    this.grids = grids ?? parts.map((rings) => buildPartGrid(rings, opts));
    this.tree = new Flatbush(Math.max(1, this.grids.length));
    for (const g of this.grids) this.tree.add(g.ox, g.oy, g.ox + g.w * opts.cellDeg, g.oy + g.h * opts.cellDeg);
    if (!this.grids.length) this.tree.add(0, 0, 0, 0);
    this.tree.finish();
  }

  /** Every polygon that contains (x, y) or lies within the buffer of it. */
  query(x: number, y: number): Hit[] {
    const hits: Hit[] = [];
    if (!this.grids.length) return hits;
    const ids = this.tree.search(x, y, x, y);
    for (const id of ids) {
      const r = locateInGrid(this.grids[id]!, x, y, this.opts.cellDeg, this.opts.bufferKm);
      if (r) hits.push({ part: id, inside: r.inside, distanceKm: r.distanceKm });
    }
    return hits;
  }
}
