/**
 * Geography of the situation map: Natural Earth 50m countries (world-atlas, bundled), the ISO
 * numeric → alpha-2 codes of the alliance's members and partners, membership as of a date, and
 * the projection that frames the North Atlantic area from the Pacific coast to the Black Sea.
 */
import { feature } from 'topojson-client';
import { geoCentroid, geoConicConformal, geoContains, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Topology, GeometryCollection } from 'topojson-specification';
import atlas from 'world-atlas/countries-50m.json' with { type: 'json' };
import type { LatLon, Member } from '../api/types.ts';
import { NUMERIC_TO_ALPHA2 } from '../../../src/contexts/sharing/iso-numeric.ts';

/** The map's drawing size in SVG units (the console scales it to its box). */
export const MAP_W = 1000;
export const MAP_H = 600;

export interface Country {
  id: string;
  name: string;
  /** Alpha-2 code when the country is one of Bulwark's organisations. */
  code: string | undefined;
  feature: Feature<Geometry, { name: string }>;
}

let cache: Country[] | undefined;

export function countries(): Country[] {
  if (cache) return cache;
  const topo = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  cache = fc.features.map((f, i) => {
    const id = f.id === undefined ? `x${i}` : String(f.id);
    return { id, name: f.properties.name, code: NUMERIC_TO_ALPHA2[id], feature: f };
  });
  return cache;
}

/** The country a point lies in (none at sea), with its alpha-2 code when Bulwark knows it. */
export function countryAt(p: LatLon): { name: string; code: string | undefined } | undefined {
  const c = countries().find((x) => geoContains(x.feature, [p.lon, p.lat]));
  return c ? { name: c.name, code: c.code } : undefined;
}

export type Standing = 'member' | 'partner' | 'other';

/** A member counts from its accession date on (YYYY-MM-DD compared as text). */
export function standingOf(code: string | undefined, orgs: ReadonlyMap<string, Member>, asOf: string): Standing {
  if (!code) return 'other';
  const o = orgs.get(code);
  if (!o) return 'other';
  if (o.kind === 'partner') return 'partner';
  return o.joined !== null && o.joined <= asOf.slice(0, 10) ? 'member' : 'other';
}

/** Frames 130°W–50°E, 20°N–75°N (the North Atlantic area) into the given box. */
export function allianceProjection(width: number, height: number): GeoProjection {
  const frame = {
    type: 'Feature' as const,
    properties: {},
    geometry: {
      type: 'MultiPoint' as const,
      coordinates: [
        [-125, 24],
        [-125, 60],
        [-40, 72],
        [45, 70],
        [45, 33],
        [-10, 20],
        [-100, 20],
      ],
    },
  };
  return geoConicConformal()
    .rotate([38, 0])
    .parallels([30, 65])
    .fitExtent(
      [
        [8, 8],
        [width - 8, height - 8],
      ],
      frame,
    );
}

export interface PlotPoint {
  id: string;
  x: number;
  y: number;
  category: string;
}

export interface Bin {
  key: string;
  x: number;
  y: number;
  count: number;
  /** The most frequent category in the bin (ties: first seen). */
  category: string;
  ids: string[];
}

/**
 * Groups points that fall in the same cell of a pixel grid, so that 10,000 incidents draw as a
 * few hundred symbols. Linear in the number of points.
 */
export function binPoints(points: readonly PlotPoint[], cell: number): Bin[] {
  const bins = new Map<string, { sx: number; sy: number; ids: string[]; counts: Map<string, number> }>();
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    const key = `${Math.floor(p.x / cell)}:${Math.floor(p.y / cell)}`;
    let b = bins.get(key);
    if (!b) {
      b = { sx: 0, sy: 0, ids: [], counts: new Map() };
      bins.set(key, b);
    }
    b.sx += p.x;
    b.sy += p.y;
    b.ids.push(p.id);
    b.counts.set(p.category, (b.counts.get(p.category) ?? 0) + 1);
  }
  const out: Bin[] = [];
  for (const [key, b] of bins) {
    let best = '';
    let bestN = -1;
    for (const [c, n] of b.counts) if (n > bestN) [best, bestN] = [c, n];
    out.push({ key, x: b.sx / b.ids.length, y: b.sy / b.ids.length, count: b.ids.length, category: best, ids: b.ids });
  }
  return out;
}

/** Country names of the atlas with their alpha-2 code and the centre of their largest part (lon, lat). */
export function countryNames(): Array<{ name: string; code: string | undefined; centre: [number, number] | null }> {
  return countries().map((c) => {
    const centre = geoCentroid(c.feature);
    return { name: c.name, code: c.code, centre: Number.isFinite(centre[0]) ? centre : null };
  });
}
