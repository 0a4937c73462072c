/**
 * The situation map as SVG text: countries of Natural Earth (world-atlas, 110m for print), drawn with
 * the console's projection of the North Atlantic area (d3-geo), members and partners shaded, and the
 * period's located incidents binned into circles coloured by their most frequent category. A pure
 * rendering module: the server's briefings and the console (eslint allows web/ to import it) share it.
 */
import { feature } from 'topojson-client';
import { geoConicConformal, geoPath, type GeoProjection } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'world-atlas/countries-110m.json' with { type: 'json' };
import { colourOf, esc, n, svg } from './svg.ts';
import { NUMERIC_TO_ALPHA2 } from '../sharing/iso-numeric.ts';

export const MAP_WIDTH = 720;
export const MAP_HEIGHT = 430;

export interface MapInput {
  points: ReadonlyArray<{ lat: number; lon: number; category: string }>;
  /** Codes shaded as members and as partners. */
  members: readonly string[];
  partners: readonly string[];
  title: string;
}

let shapes: FeatureCollection<Geometry, { name: string }> | undefined;
function countries(): FeatureCollection<Geometry, { name: string }> {
  if (shapes) return shapes;
  const topo = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  shapes = feature(topo, topo.objects.countries);
  return shapes;
}

/** The console's framing: 130°W–50°E, 20°N–75°N into the box. */
export function allianceProjection(width: number, height: number): GeoProjection {
  return geoConicConformal()
    .rotate([38, 0])
    .parallels([30, 65])
    .fitExtent(
      [
        [8, 8],
        [width - 8, height - 8],
      ],
      {
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'MultiPoint',
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
      },
    );
}

/** The countries drawn once per shading (the same for every briefing of a store): the costly part of the map. */
const lands = new Map<string, string>();
function landLayer(
  path: ReturnType<typeof geoPath>,
  memberCodes: readonly string[],
  partnerCodes: readonly string[],
): string {
  const key = `${memberCodes.join(',')}|${partnerCodes.join(',')}`;
  const hit = lands.get(key);
  if (hit !== undefined) return hit;
  const members = new Set(memberCodes);
  const partners = new Set(partnerCodes);
  const land = countries()
    .features.map((f) => {
      const code = f.id === undefined ? undefined : NUMERIC_TO_ALPHA2[String(f.id)];
      const fill = code && members.has(code) ? '#d6eaf8' : code && partners.has(code) ? '#fdebd0' : '#f2f3f4';
      const d = path(f);
      return d
        ? `<path d="${d}" fill="${fill}" stroke="#aab7b8" stroke-width="0.5"><title>${esc(f.properties.name)}</title></path>`
        : '';
    })
    .join('');
  if (lands.size > 8) lands.clear();
  lands.set(key, land);
  return land;
}

/** Cell size (SVG units) within which incidents are drawn as one circle. */
const CELL = 14;

export function renderSituationMap(input: MapInput): string {
  const projection = allianceProjection(MAP_WIDTH, MAP_HEIGHT);
  const path = geoPath(projection);
  const land = landLayer(path, input.members, input.partners);
  const bins = new Map<string, { x: number; y: number; count: number; counts: Map<string, number> }>();
  for (const p of input.points) {
    const xy = projection([p.lon, p.lat]);
    if (!xy || xy[0] < 0 || xy[1] < 0 || xy[0] > MAP_WIDTH || xy[1] > MAP_HEIGHT) continue;
    const key = `${Math.floor(xy[0] / CELL)}:${Math.floor(xy[1] / CELL)}`;
    const b = bins.get(key) ?? { x: 0, y: 0, count: 0, counts: new Map<string, number>() };
    b.x += xy[0];
    b.y += xy[1];
    b.count++;
    b.counts.set(p.category, (b.counts.get(p.category) ?? 0) + 1);
    bins.set(key, b);
  }
  const circles = [...bins.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, b]) => {
      let best = '';
      let bestN = -1;
      for (const [c, k] of [...b.counts].sort(([a], [z]) => (a < z ? -1 : 1))) if (k > bestN) [best, bestN] = [c, k];
      const r = Math.min(18, 3 + Math.sqrt(b.count) * 1.5);
      return `<circle cx="${n(b.x / b.count)}" cy="${n(b.y / b.count)}" r="${n(r)}" fill="${colourOf(best)}" fill-opacity="0.75" stroke="#fff" stroke-width="0.8"><title>${b.count} ${esc(best)}</title></circle>`;
    })
    .join('');
  const frame = `<rect width="${MAP_WIDTH}" height="${MAP_HEIGHT}" fill="#eaf2f8"/>`;
  return svg(MAP_WIDTH, MAP_HEIGHT, input.title, frame + land + circles);
}
