/**
 * Planar lon/lat geometry for the treaty engine: ring validation and repair (closure, winding,
 * antimeridian crossings, polar rings), point-in-polygon (even-odd) and distances. Pure.
 */
export type Position = [number, number];
export type Ring = Position[];
/** A polygon: outer ring first, then holes. */
export type Polygon = Ring[];

export interface RepairReport {
  droppedRings: number;
  splitRings: number;
  polarRings: number;
  closedRings: number;
}

export const emptyReport = (): RepairReport => ({ droppedRings: 0, splitRings: 0, polarRings: 0, closedRings: 0 });

/** Twice the signed planar area of a closed ring; positive when counter-clockwise (RFC 7946 exterior). */
export function signedArea2(ring: Ring): number {
  let a = 0;
  for (let i = 1; i < ring.length; i++) {
    const p = ring[i - 1]!;
    const q = ring[i]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a;
}

/** The ring wound counter-clockwise (`ccw`) or clockwise, as a new array. */
export function wind(ring: Ring, ccw: boolean): Ring {
  return signedArea2(ring) > 0 === ccw ? ring.slice() : ring.slice().reverse();
}

/** Drops non-finite or out-of-range positions and consecutive duplicates; closes the ring. Null when fewer than 3 distinct positions remain. */
export function cleanRing(ring: readonly (readonly number[])[], report: RepairReport = emptyReport()): Ring | null {
  const out: Ring = [];
  for (const p of ring) {
    const x = p[0];
    const y = p[1];
    if (
      x === undefined ||
      y === undefined ||
      !Number.isFinite(x) ||
      !Number.isFinite(y) ||
      Math.abs(y) > 90 ||
      Math.abs(x) > 180
    )
      continue;
    const last = out[out.length - 1];
    if (last && last[0] === x && last[1] === y) continue;
    out.push([x, y]);
  }
  if (out.length > 1) {
    const a = out[0]!;
    const b = out[out.length - 1]!;
    if (a[0] !== b[0] || a[1] !== b[1]) {
      out.push([a[0], a[1]]);
      report.closedRings++;
    }
  }
  if (out.length < 4) {
    report.droppedRings++;
    return null;
  }
  return out;
}

/** Longitudes made continuous (steps of more than 180° are taken the short way round). */
function unwrap(ring: Ring): { ring: Ring; net: number } {
  const out: Ring = [[ring[0]![0], ring[0]![1]]];
  let shift = 0;
  for (let i = 1; i < ring.length; i++) {
    const prev = ring[i - 1]![0];
    const cur = ring[i]![0];
    const dx = cur - prev;
    if (dx > 180) shift -= 360;
    else if (dx < -180) shift += 360;
    out.push([cur + shift, ring[i]![1]]);
  }
  return { ring: out, net: shift };
}

/** Sutherland–Hodgman clip of a closed ring to lo <= x <= hi. */
function clipX(ring: Ring, lo: number, hi: number): Ring {
  const clip = (pts: Ring, inside: (p: Position) => boolean, edge: number): Ring => {
    const out: Ring = [];
    for (let i = 0; i < pts.length - 1; i++) {
      const p = pts[i]!;
      const q = pts[i + 1]!;
      const pin = inside(p);
      const qin = inside(q);
      if (pin) out.push(p);
      if (pin !== qin) {
        const t = (edge - p[0]) / (q[0] - p[0]);
        out.push([edge, p[1] + t * (q[1] - p[1])]);
      }
    }
    if (out.length) out.push([out[0]![0], out[0]![1]]);
    return out;
  };
  const a = clip(ring, (p) => p[0] >= lo, lo);
  return a.length ? clip(a, (p) => p[0] <= hi, hi) : a;
}

function crossesAntimeridian(ring: Ring): boolean {
  for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i]![0] - ring[i - 1]![0]) > 180) return true;
  return false;
}

/**
 * Repairs one polygon into pieces that each lie within [-180, 180] with no edge longer than 180°
 * of longitude. A ring that jumps across the antimeridian would otherwise span the whole map;
 * a ring that winds round a pole (Antarctica) is closed along the pole. Returns the pieces, each
 * wound RFC 7946 style (outer counter-clockwise, holes clockwise).
 */
export function repairPolygon(
  polygon: readonly (readonly (readonly number[])[])[],
  report: RepairReport = emptyReport(),
): Polygon[] {
  const rings: Ring[] = [];
  polygon.forEach((r, i) => {
    const c = cleanRing(r, report);
    if (c) rings.push(c);
    else if (i === 0) rings.length = 0;
  });
  if (!rings.length || !rings[0]) return [];
  if (!rings.some(crossesAntimeridian)) return [rings.map((r, i) => wind(r, i === 0))];
  report.splitRings++;
  const windows: Ring[][] = [[], [], []];
  for (const [i, r] of rings.entries()) {
    const unwrapped = unwrap(r);
    const net = unwrapped.net;
    let u = unwrapped.ring;
    if (net !== 0) {
      // Winds round a pole: close it along the pole it encircles.
      report.polarRings++;
      const last = u[u.length - 1]!;
      const meanLat = u.reduce((s, p) => s + p[1], 0) / u.length;
      const pole = meanLat < 0 ? -90 : 90;
      u = [...u.slice(0, -1), [last[0], pole], [u[0]![0], pole], [u[0]![0], u[0]![1]]];
    }
    for (let w = -1; w <= 1; w++) {
      const lo = -180 + 360 * w;
      const piece = clipX(u, lo, lo + 360);
      if (piece.length >= 4)
        windows[w + 1]!.push(
          wind(
            piece.map(([x, y]) => [x - 360 * w, y] as Position),
            i === 0,
          ),
        );
    }
  }
  return windows.filter((w) => w.length > 0);
}

/** Even-odd point-in-polygon over all rings of a polygon (holes need no special case). */
export function pointInRings(x: number, y: number, rings: readonly Ring[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i]![0];
      const yi = ring[i]![1];
      const xj = ring[j]![0];
      const yj = ring[j]![1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export const KM_PER_DEG_LAT = 110.574;
export const KM_PER_DEG_LON_EQUATOR = 111.32;
/** 12 nautical miles, the breadth of the territorial sea (UNCLOS Art. 3). */
export const TERRITORIAL_SEA_KM = 12 * 1.852;

/** Distance in km from (x, y) to segment (x1,y1)-(x2,y2) in a local equirectangular projection. */
export function segmentDistanceKm(x: number, y: number, x1: number, y1: number, x2: number, y2: number): number {
  const k = KM_PER_DEG_LON_EQUATOR * Math.cos((y * Math.PI) / 180);
  const ax = (x1 - x) * k;
  const ay = (y1 - y) * KM_PER_DEG_LAT;
  const bx = (x2 - x) * k;
  const by = (y2 - y) * KM_PER_DEG_LAT;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const px = ax + t * dx;
  const py = ay + t * dy;
  return Math.sqrt(px * px + py * py);
}

/** Degrees of longitude spanned by `km` at latitude `lat` (capped near the poles). */
export function lonDegreesFor(km: number, lat: number): number {
  const c = Math.cos((Math.min(89, Math.abs(lat)) * Math.PI) / 180);
  return Math.min(20, km / (KM_PER_DEG_LON_EQUATOR * c));
}

export function bboxOf(rings: readonly Ring[]): [number, number, number, number] {
  let a = Infinity;
  let b = Infinity;
  let c = -Infinity;
  let d = -Infinity;
  for (const r of rings)
    for (const [x, y] of r) {
      if (x < a) a = x;
      if (y < b) b = y;
      if (x > c) c = x;
      if (y > d) d = y;
    }
  return [a, b, c, d];
}

/** Positions inserted so that no edge is longer than `step` degrees (for drawing on a sphere). */
export function densify(ring: Ring, step = 1): Ring {
  const out: Ring = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const p = ring[i]!;
    const q = ring[i + 1]!;
    const n = Math.max(1, Math.ceil(Math.max(Math.abs(q[0] - p[0]), Math.abs(q[1] - p[1])) / step));
    for (let k = 0; k < n; k++) out.push([p[0] + ((q[0] - p[0]) * k) / n, p[1] + ((q[1] - p[1]) * k) / n]);
  }
  out.push(ring[ring.length - 1]!);
  return out;
}
