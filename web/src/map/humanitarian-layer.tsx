/**
 * The situation map's humanitarian layer: the humanitarian register's latest needs per place (per
 * country; see humanitarian-places.ts), as circles by people in need, a legend entry, and a table that
 * lists the same needs for readers who do not use the map. The server's summary holds only what the
 * reader may read, so the layer shows nothing else. Off until switched on (the data loads then).
 */
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useQuery } from '@tanstack/react-query';
import { geoCentroid, type GeoProjection } from 'd3-geo';
import { iso31661NumericToAlpha2 } from 'iso-3166';
import { useSession } from '../app/context.tsx';
import { describeError } from '../api/client.ts';
import type { NeedSummaryViewT } from '../../../src/contexts/registers/humanitarian.schema.ts';
import { countries } from './geo.ts';
import { needPlaces, peopleText, type NeedPlace } from './humanitarian-places.ts';

const INK = '#0b6fb8';
const FILL = 'rgba(11, 111, 184, 0.22)';

/** What the situation map hands a layer drawn in its coordinates. */
export interface LayerContext {
  projection: GeoProjection;
  /** The zoom factor (sizes are divided by it to stay the same on screen). */
  k: number;
  /** "Assess a place": markers do not catch clicks or focus. */
  assessMode: boolean;
}

export interface HumanitarianLayer {
  /** The switch for the map's toolbar. */
  toggle: ReactNode;
  /** Draws the layer inside the map (undefined while off). */
  layer: ((ctx: LayerContext) => ReactNode) | undefined;
  /** The legend entry (null while off). */
  legend: ReactNode;
  /** The same needs as a table (null while off). */
  list: ReactNode;
}

let centres: Map<string, [number, number]> | undefined;
function centreOf(country: string): [number, number] | null {
  if (!centres) {
    centres = new Map();
    for (const c of countries()) {
      const code = iso31661NumericToAlpha2[c.id];
      const centre = geoCentroid(c.feature);
      if (code && !centres.has(code) && Number.isFinite(centre[0])) centres.set(code, centre);
    }
  }
  return centres.get(country) ?? null;
}

const label = (p: NeedPlace): string =>
  `Humanitarian needs, ${p.country}: ${peopleText(p.peopleInNeed)} people in need (largest sector: ${p.sector}), ${p.needs.length} ${p.needs.length === 1 ? 'need' : 'needs'} recorded`;

const money = (m: { value: number; currency: string } | null): string =>
  m ? `${m.value.toLocaleString('en-GB')} ${m.currency}` : '–';

export function useHumanitarianLayer(): HumanitarianLayer {
  const { api } = useSession();
  const [on, setOn] = useState(false);
  const [listOpen, setListOpen] = useState(false);
  const table = useRef<HTMLTableElement>(null);
  const q = useQuery({
    queryKey: ['humanitarian-summary'],
    queryFn: ({ signal }) => api.get<NeedSummaryViewT>('/api/v1/humanitarian/summary', signal),
    enabled: on,
  });
  const places = useMemo(() => needPlaces(q.data?.items ?? [], centreOf), [q.data]);
  const largest = places.reduce((m, p) => Math.max(m, p.peopleInNeed), 0);

  // A marker opens the list (rendered at once) and moves the focus to its country's first row.
  const show = (country: string): void => {
    flushSync(() => setListOpen(true));
    table.current?.querySelector<HTMLTableRowElement>(`tr[data-country="${country}"]`)?.focus();
  };

  const toggle = (
    <label className="inline">
      <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} data-testid="toggle-humanitarian" />{' '}
      Humanitarian needs
    </label>
  );
  if (!on) return { toggle, layer: undefined, legend: null, list: null };

  const layer = ({ projection, k, assessMode }: LayerContext): ReactNode => (
    <g
      className="humanitarian-layer"
      data-testid="humanitarian-layer"
      style={assessMode ? { pointerEvents: 'none', opacity: 0.55 } : undefined}
    >
      {places.map((p) => {
        const xy = p.centre ? projection(p.centre) : null;
        if (!xy) return null;
        const r = (7 + 18 * Math.sqrt(largest > 0 ? p.peopleInNeed / largest : 0)) / k;
        return (
          <g
            key={p.country}
            className="marker humanitarian-marker"
            data-testid="humanitarian-marker"
            data-country={p.country}
            role="button"
            tabIndex={assessMode ? -1 : 0}
            aria-label={`${label(p)}: show in the list`}
            onClick={() => show(p.country)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' && e.key !== ' ') return;
              e.preventDefault();
              e.stopPropagation();
              show(p.country);
            }}
          >
            <circle
              cx={xy[0]}
              cy={xy[1]}
              r={r}
              style={{ fill: FILL, stroke: INK, strokeWidth: 2, strokeDasharray: '4 2' }}
              vectorEffect="non-scaling-stroke"
            >
              <title>{label(p)}</title>
            </circle>
          </g>
        );
      })}
    </g>
  );

  const legend = (
    <div className="legend" aria-label="Humanitarian layer legend" data-testid="humanitarian-legend">
      <span>
        <i
          className="dot"
          style={{ background: FILL, border: `2px dashed ${INK}`, width: 12, height: 12, verticalAlign: -2 }}
        />{' '}
        humanitarian needs: people in need per country (largest sector), by circle area
      </span>
      {q.isPending && <span role="status">loading humanitarian needs…</span>}
      {q.isError && <span role="status">humanitarian needs: {describeError(q.error)}</span>}
    </div>
  );

  const rows = places.flatMap((p) => p.needs.map((n, i) => ({ p, n, first: i === 0 })));
  const list = (
    <details
      className="map-list"
      data-testid="humanitarian-list"
      open={listOpen}
      onToggle={(e) => setListOpen(e.currentTarget.open)}
    >
      <summary>
        The {rows.length} humanitarian needs on the map, as a list ({places.length}{' '}
        {places.length === 1 ? 'country' : 'countries'})
      </summary>
      <div className="list-scroll">
        <table className="grid" ref={table}>
          <caption className="sr-only">Humanitarian needs by country, area and sector (latest of each)</caption>
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col">Area</th>
              <th scope="col">Sector</th>
              <th scope="col">People in need</th>
              <th scope="col">Reached</th>
              <th scope="col">Funding required</th>
              <th scope="col">Received</th>
              <th scope="col">As of</th>
              <th scope="col">TLP</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ p, n, first }) => (
              <tr key={n.id} data-country={first ? p.country : undefined} tabIndex={first ? -1 : undefined}>
                <td>
                  {p.country}
                  {first && !p.centre ? ' (not on the map)' : ''}
                </td>
                <td>{n.area}</td>
                <td>{n.sector}</td>
                <td>{n.peopleInNeed.toLocaleString('en-GB')}</td>
                <td>{n.peopleReached?.toLocaleString('en-GB') ?? '–'}</td>
                <td>{money(n.fundingRequired)}</td>
                <td>{money(n.fundingReceived)}</td>
                <td>{n.asOf.slice(0, 10)}</td>
                <td>{n.tlp.toUpperCase()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
  return { toggle, layer, legend, list };
}
