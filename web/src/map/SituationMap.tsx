import {
  memo,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type WheelEvent,
} from 'react';
import { geoArea, geoGraticule10, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, GeoJsonProperties, Geometry, Polygon, MultiPolygon } from 'geojson';
import { TROPIC_OF_CANCER } from '../../../src/contexts/treaty/areas.ts';
import type { Incident, LatLon, Member } from '../api/types.ts';
import { colourOfCategory } from '../app/theme.ts';
import { allianceProjection, binPoints, countries, MAP_H, MAP_W, standingOf, type PlotPoint } from './geo.ts';
import { clampK, scaleBar, type View } from './layout.ts';
import { MapLabels } from './MapLabels.tsx';
import { useTreatyAreas, type AreaCollection } from '../treaty/api.ts';

export interface SituationMapProps {
  orgs: ReadonlyMap<string, Member>;
  asOf: string;
  incidents?: readonly Incident[];
  showAreas?: boolean;
  picked?: LatLon | null;
  onPick?: (p: LatLon) => void;
  onIncident?: (id: string) => void;
  label: string;
  /** The first view (framed on the incidents or the eastern flank); the reset button returns to it. */
  initial?: View;
  /** "Assess a place": every click picks a place, markers do not catch it. */
  assessMode?: boolean;
  /** Country and city labels (the small map on Report leaves them out). */
  labels?: boolean;
  /** Further layers drawn in map coordinates under the incident markers (e.g. humanitarian-layer.tsx). */
  layers?: ((ctx: { projection: GeoProjection; k: number; assessMode: boolean }) => ReactNode) | undefined;
  /** Incidents the live feed brought that are not yet read: their markers are highlighted. */
  fresh?: ReadonlySet<string>;
}

/** The countries layer never changes once drawn: memoised apart from markers and view. */
const Countries = memo(function Countries({
  projection,
  orgs,
  asOf,
}: {
  projection: GeoProjection;
  orgs: ReadonlyMap<string, Member>;
  asOf: string;
}) {
  const path = useMemo(() => geoPath(projection), [projection]);
  const shapes = useMemo(
    () => countries().map((c, i) => ({ c, key: `${c.id}-${i}`, d: path(c.feature) ?? '' })),
    [path],
  );
  const grat = useMemo(() => path(geoGraticule10()) ?? '', [path]);
  return (
    <g className="countries">
      <path d={grat} className="graticule" />
      {shapes.map(({ c, key, d }) => {
        const standing = standingOf(c.code, orgs, asOf);
        return (
          <path key={key} d={d} className={`country ${standing}`} data-code={c.code}>
            <title>
              {c.name}
              {standing === 'member' ? ' · member' : standing === 'partner' ? ' · partner' : ''}
            </title>
          </path>
        );
      })}
    </g>
  );
});

/** d3-geo reads polygons on the sphere: a ring wound the planar way would cover the whole globe. */
function rewound(f: Feature<Geometry, GeoJsonProperties>): Feature<Geometry, GeoJsonProperties> {
  if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') return f;
  if (geoArea(f) <= 2 * Math.PI) return f;
  const g = f.geometry;
  const geometry: Polygon | MultiPolygon =
    g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: g.coordinates.map((r) => [...r].reverse()) }
      : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => [...r].reverse())) };
  return { ...f, geometry };
}

function TreatyAreas({ projection, data }: { projection: GeoProjection; data: AreaCollection | undefined }): ReactNode {
  const path = useMemo(() => geoPath(projection), [projection]);
  const tropic = useMemo(
    () =>
      path({
        type: 'LineString',
        coordinates: Array.from({ length: 73 }, (_, i) => [-180 + i * 5, TROPIC_OF_CANCER]),
      }) ?? '',
    [path],
  );
  const areas = useMemo(
    () =>
      (data?.features ?? []).map((f, i) => {
        const props = (f.properties ?? {}) as Record<string, unknown>;
        const text = (v: unknown): string | undefined =>
          typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
        const name = text(props.title) ?? text(props.name) ?? text(props.id) ?? `area ${i + 1}`;
        return { key: text(props.id) ?? String(i), name, d: path(rewound(f)) ?? '' };
      }),
    [data, path],
  );
  return (
    <g className="treaty-areas" data-testid="treaty-areas">
      {areas.map((a) => (
        <path key={a.key} d={a.d} className="treaty-area">
          <title>{a.name}</title>
        </path>
      ))}
      <path d={tropic} className="tropic">
        <title>Tropic of Cancer (23°26′ N): southern limit of the treaty area in the Atlantic</title>
      </path>
    </g>
  );
}

export function SituationMap(p: SituationMapProps): ReactNode {
  const svg = useRef<SVGSVGElement>(null);
  const home = p.initial ?? { k: 1, x: 0, y: 0 };
  const [view, setView] = useState<View>(home);
  const drag = useRef<{ sx: number; sy: number; vx: number; vy: number; moved: boolean } | null>(null);
  const projection = useMemo(() => allianceProjection(MAP_W, MAP_H), []);
  const areas = useTreatyAreas(p.showAreas === true);

  const titles = useMemo(() => new Map((p.incidents ?? []).map((i) => [i.id, i.title])), [p.incidents]);
  const points = useMemo<PlotPoint[]>(() => {
    const out: PlotPoint[] = [];
    for (const i of p.incidents ?? []) {
      if (!i.location) continue;
      const xy = projection([i.location.lon, i.location.lat]);
      if (xy) out.push({ id: i.id, x: xy[0], y: xy[1], category: i.category });
    }
    return out;
  }, [p.incidents, projection]);
  // With many incidents, group them on a grid that shrinks as one zooms in.
  const bins = useMemo(() => binPoints(points, points.length > 300 ? 20 / view.k : 0.5 / view.k), [points, view.k]);

  const toMap = (clientX: number, clientY: number): [number, number] | null => {
    const el = svg.current;
    const m = el?.getScreenCTM();
    if (!el || !m) return null;
    const pt = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
    return [(pt.x - view.x) / view.k, (pt.y - view.y) / view.k];
  };

  const pickAt = (xy: [number, number]): void => {
    const ll = projection.invert?.(xy);
    if (ll && p.onPick)
      p.onPick({ lat: Math.round(ll[1] * 10_000) / 10_000, lon: Math.round(ll[0] * 10_000) / 10_000 });
  };

  const zoomAround = (cx: number, cy: number, factor: number): void => {
    setView((v) => {
      const k = clampK(v.k * factor);
      const f = k / v.k;
      return { k, x: cx - (cx - v.x) * f, y: cy - (cy - v.y) * f };
    });
  };

  const onWheel = (e: WheelEvent<SVGSVGElement>): void => {
    const m = svg.current?.getScreenCTM();
    if (!m) return;
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    zoomAround(pt.x, pt.y, e.deltaY < 0 ? 1.25 : 0.8);
  };

  const onDown = (e: MouseEvent<SVGSVGElement>): void => {
    drag.current = { sx: e.clientX, sy: e.clientY, vx: view.x, vy: view.y, moved: false };
  };
  const onMove = (e: MouseEvent<SVGSVGElement>): void => {
    const d = drag.current;
    if (!d || e.buttons !== 1) return;
    const m = svg.current?.getScreenCTM();
    const scale = m ? 1 / m.a : 1;
    const dx = (e.clientX - d.sx) * scale;
    const dy = (e.clientY - d.sy) * scale;
    if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
    if (d.moved) setView((v) => ({ ...v, x: d.vx + dx, y: d.vy + dy }));
  };
  const onUp = (e: MouseEvent<SVGSVGElement>): void => {
    const d = drag.current;
    drag.current = null;
    if (d?.moved) return;
    if (!p.assessMode && (e.target as Element).closest('.marker, .place-label')) return;
    const xy = toMap(e.clientX, e.clientY);
    if (xy) pickAt(xy);
  };

  const onKey = (e: KeyboardEvent<SVGSVGElement>): void => {
    const step = 60;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => setView((v) => ({ ...v, x: v.x + step })),
      ArrowRight: () => setView((v) => ({ ...v, x: v.x - step })),
      ArrowUp: () => setView((v) => ({ ...v, y: v.y + step })),
      ArrowDown: () => setView((v) => ({ ...v, y: v.y - step })),
      '+': () => zoomAround(MAP_W / 2, MAP_H / 2, 1.4),
      '=': () => zoomAround(MAP_W / 2, MAP_H / 2, 1.4),
      '-': () => zoomAround(MAP_W / 2, MAP_H / 2, 1 / 1.4),
      '0': () => setView(home),
      Enter: () => pickAt([(MAP_W / 2 - view.x) / view.k, (MAP_H / 2 - view.y) / view.k]),
    };
    const h = keys[e.key];
    if (h) {
      e.preventDefault();
      h();
    }
  };

  const openBin = (b: { count: number; ids: string[]; x: number; y: number }): void => {
    if (b.count === 1) p.onIncident?.(b.ids[0]!);
    else zoomAround(b.x * view.k + view.x, b.y * view.k + view.y, 2.5);
  };

  const pickedXY = p.picked ? projection([p.picked.lon, p.picked.lat]) : null;
  const r = (n: number): number => (n === 1 ? 6 : Math.min(14, 6 + Math.sqrt(n) * 1.2)) / view.k;
  const bar = scaleBar(projection, view, MAP_W, MAP_H);

  return (
    <div className="map-wrap">
      <svg
        ref={svg}
        className={`map${p.assessMode ? ' assessing' : ''}`}
        data-view={`${view.k},${view.x},${view.y}`}
        viewBox={`0 0 ${MAP_W} ${MAP_H}`}
        role="application"
        aria-label={`${p.label}. Arrow keys pan, + and - zoom, 0 resets, Enter picks the centre.`}
        tabIndex={0}
        data-testid="situation-map"
        onWheel={onWheel}
        onMouseDown={onDown}
        onMouseMove={onMove}
        onMouseUp={onUp}
        onMouseLeave={() => (drag.current = null)}
        onKeyDown={onKey}
      >
        <rect x={-5 * MAP_W} y={-5 * MAP_H} width={11 * MAP_W} height={11 * MAP_H} className="sea" />
        <g transform={`translate(${view.x},${view.y}) scale(${view.k})`} style={{ ['--k' as string]: view.k }}>
          <Countries projection={projection} orgs={p.orgs} asOf={p.asOf} />
          {p.showAreas && <TreatyAreas projection={projection} data={areas.data} />}
          {p.layers?.({ projection, k: view.k, assessMode: p.assessMode === true })}
          <g className="markers">
            {bins.map((b) => {
              const isFresh = p.fresh !== undefined && b.ids.some((id) => p.fresh!.has(id));
              return (
                <g
                  key={b.key}
                  className={isFresh ? 'marker fresh' : 'marker'}
                  data-fresh={isFresh || undefined}
                  data-testid="incident-marker"
                  role="button"
                  tabIndex={p.assessMode ? -1 : 0}
                  aria-label={
                    b.count === 1
                      ? `${titles.get(b.ids[0]!) ?? 'incident'} (${b.category})${isFresh ? ', new' : ''}`
                      : `${b.count} incidents, mostly ${b.category}${isFresh ? ', some new' : ''}: zoom in`
                  }
                  onClick={() => openBin(b)}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter' && e.key !== ' ') return;
                    e.preventDefault();
                    e.stopPropagation();
                    openBin(b);
                  }}
                >
                  {isFresh && <circle className="fresh-ring" cx={b.x} cy={b.y} r={r(b.count) + 4 / view.k} />}
                  <circle
                    cx={b.x}
                    cy={b.y}
                    r={r(b.count)}
                    fill={colourOfCategory(b.category)}
                    strokeWidth={1.2 / view.k}
                  >
                    <title>
                      {b.count === 1
                        ? `${titles.get(b.ids[0]!) ?? b.ids[0]} (${b.category})`
                        : `${b.count} incidents, mostly ${b.category}: click to zoom in`}
                    </title>
                  </circle>
                  {b.count > 1 && view.k * r(b.count) >= 6.5 && (
                    <text x={b.x} y={b.y} dy="0.35em" fontSize={(b.count > 99 ? 7 : 8.5) / view.k}>
                      {b.count}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
          {pickedXY && (
            <g
              className="picked"
              transform={`translate(${pickedXY[0]},${pickedXY[1]}) scale(${1 / view.k})`}
              data-testid="picked-place"
            >
              <circle r={9} />
              <path d="M-14,0H-5M5,0H14M0,-14V-5M0,5V14" />
            </g>
          )}
        </g>
        {p.labels !== false && <MapLabels projection={projection} view={view} onPick={(pl) => p.onPick?.(pl)} />}
        {bar && (
          <g className="scale-bar" transform={`translate(16,${MAP_H - 18})`} data-testid="scale-bar">
            <path d={`M0,-5V0H${bar.length}V-5`} />
            <text x={bar.length + 6} y={0}>
              {bar.km.toLocaleString('en-GB')} km
            </text>
          </g>
        )}
      </svg>
      {p.showAreas && areas.isError && (
        <p className="map-note" role="status">
          Treaty-area boundaries: not available from this server ({areas.error.message}); the Tropic of Cancer is drawn
          from the treaty text.
        </p>
      )}
      <div className="map-controls">
        <button type="button" aria-label="Zoom in" onClick={() => zoomAround(MAP_W / 2, MAP_H / 2, 1.4)}>
          +
        </button>
        <button type="button" aria-label="Zoom out" onClick={() => zoomAround(MAP_W / 2, MAP_H / 2, 1 / 1.4)}>
          −
        </button>
        <button type="button" aria-label="Reset view" onClick={() => setView(home)}>
          ⟲
        </button>
      </div>
    </div>
  );
}
