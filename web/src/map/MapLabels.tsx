import { memo, useMemo, type ReactNode } from 'react';
import { geoArea, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, Geometry, Polygon } from 'geojson';
import type { LatLon } from '../api/types.ts';
import { countries, MAP_H, MAP_W } from './geo.ts';
import { placeLabels, type LabelCandidate, type View } from './layout.ts';
import { places } from './places.ts';

/** The largest polygon of a country (its mainland), so that a label sits on it and not on the sea. */
function mainland(f: Feature<Geometry, { name: string }>): Feature<Polygon> | Feature<Geometry> {
  if (f.geometry.type !== 'MultiPolygon') return f;
  let best: Polygon | undefined;
  let bestArea = -1;
  for (const coordinates of f.geometry.coordinates) {
    const poly: Polygon = { type: 'Polygon', coordinates };
    const a = geoArea(poly);
    if (a > bestArea && a < 2 * Math.PI) [best, bestArea] = [poly, a];
  }
  return best ? { type: 'Feature', properties: {}, geometry: best } : f;
}

interface Candidates {
  countries: LabelCandidate[];
  cities: Array<LabelCandidate & { lat: number; lon: number; capital: boolean }>;
}

function candidatesFor(projection: GeoProjection): Candidates {
  const path = geoPath(projection);
  const cs: LabelCandidate[] = [];
  for (const c of countries()) {
    const land = mainland(c.feature);
    const area = path.area(land);
    const [x, y] = path.centroid(land);
    if (!(area > 4) || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    // a label shows once the country is about 45 screen units across
    cs.push({ key: `c${c.id}`, text: c.name, x, y, priority: 1e9 + area, minK: Math.sqrt(2000 / area) });
  }
  const cities: Candidates['cities'] = [];
  for (const p of places()) {
    const xy = projection([p.lon, p.lat]);
    if (!xy) continue;
    cities.push({
      key: `p${p.name}-${p.country}`,
      text: p.name,
      x: xy[0],
      y: xy[1],
      priority: (p.capital ? 1e8 : 0) + p.population,
      minK: p.capital ? 1.5 : p.population >= 2_000_000 ? 3 : 6,
      lat: p.lat,
      lon: p.lon,
      capital: p.capital,
    });
  }
  return { countries: cs, cities };
}

/**
 * Country and city labels in screen units (constant size whatever the zoom), placed without overlap:
 * countries first, then capitals, then large cities. A city's label or dot picks exactly that place.
 */
export const MapLabels = memo(function MapLabels({
  projection,
  view,
  onPick,
}: {
  projection: GeoProjection;
  view: View;
  onPick: (p: LatLon) => void;
}): ReactNode {
  const all = useMemo(() => candidatesFor(projection), [projection]);
  const cityByKey = useMemo(() => new Map(all.cities.map((c) => [c.key, c])), [all]);
  const placed = useMemo(() => {
    const cities = placeLabels(all.cities, view, MAP_W, MAP_H, { max: 60 });
    const countryLabels = placeLabels(
      [...cities.map((c) => ({ ...c, priority: 2e9 })), ...all.countries],
      view,
      MAP_W,
      MAP_H,
      {
        max: 100,
      },
    ).filter((l) => l.key.startsWith('c'));
    return { cities, countries: countryLabels };
  }, [all, view]);
  return (
    <g className="labels" data-testid="map-labels">
      {placed.countries.map((l) => (
        <text key={l.key} x={l.sx} y={l.sy} className="country-label" aria-hidden="true">
          {l.text}
        </text>
      ))}
      {placed.cities.map((l) => {
        const c = cityByKey.get(l.key)!;
        return (
          <g
            key={l.key}
            className={`place-label${c.capital ? ' capital' : ''}`}
            transform={`translate(${l.sx},${l.sy})`}
            onClick={(e) => {
              e.stopPropagation();
              onPick({ lat: c.lat, lon: c.lon });
            }}
            onMouseUp={(e) => e.stopPropagation()}
            data-place={l.text}
          >
            <circle r={c.capital ? 2.6 : 2} />
            <text x={4} y={-4}>
              {l.text}
            </text>
            <title>{`${l.text}: click to pick this place`}</title>
          </g>
        );
      })}
    </g>
  );
});
