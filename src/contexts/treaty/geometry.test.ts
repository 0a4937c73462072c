import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bboxOf,
  cleanRing,
  emptyReport,
  pointInRings,
  repairPolygon,
  segmentDistanceKm,
  signedArea2,
  TERRITORIAL_SEA_KM,
  wind,
  type Ring,
} from './geometry.ts';
import { PolygonIndex } from './spatial-index.ts';

const square = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

describe('ring validation and repair', () => {
  it('drops non-finite and out-of-range positions and closes the ring', () => {
    const r = emptyReport();
    expect(
      cleanRing(
        [
          [0, 0],
          [1, 0],
          [Number.NaN, 3],
          [1, 1],
          [0, 200],
          [0, 1],
        ],
        r,
      ),
    ).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    expect(r.closedRings).toBe(1);
    expect(
      cleanRing(
        [
          [0, 0],
          [1, 1],
          [0, 0],
        ],
        r,
      ),
    ).toBeNull();
    expect(r.droppedRings).toBe(1);
  });

  it('winds outer rings counter-clockwise and holes clockwise', () => {
    const [p] = repairPolygon([wind(square(0, 0, 10, 10), false), wind(square(2, 2, 4, 4), true)]);
    expect(signedArea2(p![0]!)).toBeGreaterThan(0);
    expect(signedArea2(p![1]!)).toBeLessThan(0);
  });

  it('splits a ring that jumps across the antimeridian instead of letting it span the map', () => {
    // An island from 179.5°E to 179.5°W, as Natural Earth writes Wrangel Island or Fiji.
    const ring: Ring = [
      [179.5, -16],
      [180, -16],
      [-180, -16],
      [-179.5, -16],
      [-179.5, -17],
      [-180, -17],
      [180, -17],
      [179.5, -17],
      [179.5, -16],
    ];
    expect(pointInRings(0, -16.5, [ring])).toBe(true); // the bad ring covers the globe's width
    const report = emptyReport();
    const pieces = repairPolygon([ring], report);
    expect(report.splitRings).toBe(1);
    expect(pieces).toHaveLength(2);
    for (const p of pieces) {
      const [x0, , x1] = bboxOf(p);
      expect(x1 - x0).toBeLessThanOrEqual(0.5 + 1e-9);
      expect(pointInRings(0, -16.5, p)).toBe(false);
    }
    expect(pieces.some((p) => pointInRings(179.8, -16.5, p))).toBe(true);
    expect(pieces.some((p) => pointInRings(-179.8, -16.5, p))).toBe(true);
  });

  it('closes a ring that winds round the South Pole along the pole', () => {
    const ring: Ring = [];
    for (let x = -180; x <= 180; x += 10) ring.push([x, -70 - (x % 20 === 0 ? 2 : 0)]);
    const report = emptyReport();
    const pieces = repairPolygon([ring], report);
    expect(report.polarRings).toBe(1);
    expect(pieces.some((p) => pointInRings(45, -85, p))).toBe(true);
    expect(pieces.some((p) => pointInRings(45, -60, p))).toBe(false);
  });

  it('measures distances in kilometres', () => {
    expect(segmentDistanceKm(0, 1, -1, 0, 1, 0)).toBeCloseTo(110.57, 1);
    expect(segmentDistanceKm(0, 60, 1, 59, 1, 61)).toBeCloseTo(55.66, 1);
    expect(TERRITORIAL_SEA_KM).toBeCloseTo(22.224, 3);
  });
});

describe('polygon index', () => {
  const star = (cx: number, cy: number, r: number, n: number, seed: number): Ring => {
    const ring: Ring = [];
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      const rr = r * (0.35 + 0.65 * Math.abs(Math.sin(seed * (i + 1))));
      ring.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
    }
    ring.push(ring[0]!);
    return ring;
  };

  it('property: agrees with an exhaustive point-in-polygon test and distance scan', () => {
    // Two overlapping stars (many short edges, concave) and a square with a hole.
    const polys: Ring[][] = [
      [star(10, 50, 3, 300, 1.7)],
      [star(13, 51, 1, 60, 0.3)],
      [square(-5, 40, 5, 45), wind(square(-2, 41, 2, 43), false)],
    ];
    const index = new PolygonIndex(polys);
    fc.assert(
      fc.property(
        fc.double({ min: -8, max: 17, noNaN: true }),
        fc.double({ min: 38, max: 56, noNaN: true }),
        (x, y) => {
          const hits = index.query(x, y);
          polys.forEach((rings, i) => {
            const inside = pointInRings(x, y, rings);
            let d = Infinity;
            for (const r of rings)
              for (let k = 1; k < r.length; k++)
                d = Math.min(d, segmentDistanceKm(x, y, r[k - 1]![0], r[k - 1]![1], r[k]![0], r[k]![1]));
            const hit = hits.find((h) => h.part === i);
            if (inside) expect(hit?.inside).toBe(true);
            else if (d <= TERRITORIAL_SEA_KM - 0.01) expect(hit?.distanceKm).toBeCloseTo(d, 1);
            else if (d > TERRITORIAL_SEA_KM + 0.01) expect(hit).toBeUndefined();
          });
        },
      ),
      { numRuns: 3000 },
    );
  });
});
