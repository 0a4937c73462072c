import { describe, expect, it } from 'vitest';
import { allianceProjection, MAP_H, MAP_W } from './geo.ts';
import { fitView, placeLabels, scaleBar, type LabelCandidate } from './layout.ts';
import { fold, searchPlaces } from './places.ts';

describe('map layout', () => {
  it('frames the given points inside the drawing', () => {
    const pts: Array<[number, number]> = [
      [600, 200],
      [700, 260],
    ];
    const v = fitView(pts, MAP_W, MAP_H);
    expect(v.k).toBeGreaterThan(1);
    for (const [x, y] of pts) {
      const sx = x * v.k + v.x;
      const sy = y * v.k + v.y;
      expect(sx).toBeGreaterThan(0);
      expect(sx).toBeLessThan(MAP_W);
      expect(sy).toBeGreaterThan(0);
      expect(sy).toBeLessThan(MAP_H);
    }
    expect(fitView([], MAP_W, MAP_H)).toEqual({ k: 1, x: 0, y: 0 });
  });

  it('keeps labels that do not overlap, by priority', () => {
    const c = (key: string, x: number, priority: number): LabelCandidate => ({
      key,
      text: 'Label',
      x,
      y: 100,
      priority,
      minK: 1,
    });
    const kept = placeLabels([c('low', 105, 1), c('high', 100, 5), c('far', 400, 2)], { k: 1, x: 0, y: 0 }, 1000, 600);
    expect(kept.map((l) => l.key)).toEqual(['high', 'far']);
    // outside the drawing, or below its zoom: not drawn
    expect(placeLabels([{ ...c('out', 2000, 1) }], { k: 1, x: 0, y: 0 }, 1000, 600)).toEqual([]);
    expect(placeLabels([{ ...c('zoom', 100, 1), minK: 3 }], { k: 1, x: 0, y: 0 }, 1000, 600)).toEqual([]);
  });

  it('gives a round scale bar that grows shorter in km as one zooms in', () => {
    const p = allianceProjection(MAP_W, MAP_H);
    const a = scaleBar(p, { k: 1, x: 0, y: 0 }, MAP_W, MAP_H)!;
    const b = scaleBar(p, { k: 4, x: -1500, y: -900 }, MAP_W, MAP_H)!;
    expect([1, 2, 5]).toContain(a.km / 10 ** Math.floor(Math.log10(a.km)));
    expect(b.km).toBeLessThan(a.km);
    expect(a.length).toBeGreaterThan(40);
    expect(a.length).toBeLessThanOrEqual(110);
  });
});

describe('place search', () => {
  const countries = [
    { name: 'Finland', code: 'FI', centre: [26, 64] as [number, number] },
    { name: 'Poland', code: 'PL', centre: [19, 52] as [number, number] },
  ];
  it('finds capitals and cities, with or without diacritics, and countries at their capital', () => {
    const h = searchPlaces('helsinki', countries);
    expect(h[0]).toMatchObject({ kind: 'city', name: 'Helsinki', detail: 'FI' });
    expect(h[0]!.lat).toBeCloseTo(60.17, 1);
    expect(searchPlaces('Zurich', countries)[0]?.name).toBe('Zürich');
    const fi = searchPlaces('Finland', countries)[0]!;
    expect(fi).toMatchObject({ kind: 'country', name: 'Finland', detail: 'at Helsinki' });
    expect(searchPlaces('  ', countries)).toEqual([]);
    expect(fold('Łódź')).toBe('łodz');
  });
});
