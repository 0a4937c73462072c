import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSession } from '../app/context.tsx';
import { hrefOf, navigate } from '../app/router.ts';
import type { LatLon } from '../api/types.ts';
import { CATEGORIES } from '../api/types.ts';
import { categoryColour } from '../app/theme.ts';
import { useIncidentPages } from '../incidents/api.ts';
import { AssessmentPanel } from '../treaty/AssessmentPanel.tsx';
import { LiveFeed } from '../stream/LiveFeed.tsx';
import { useLiveStream } from '../stream/live.ts';
import { ErrorState } from '../ui/states.tsx';
import { allianceProjection, countryAt, MAP_H, MAP_W } from './geo.ts';
import { easternFlankView, fitView } from './layout.ts';
import { PlaceSearch } from './PlaceSearch.tsx';
import { SituationMap } from './SituationMap.tsx';
import { useHumanitarianLayer } from './humanitarian-layer.tsx';
import { usePostureLayer } from './posture-layer.tsx';

const MAP_LIMIT = 10_000;

export function SituationView(): ReactNode {
  const { orgs } = useSession();
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [showAreas, setShowAreas] = useState(true);
  const [place, setPlace] = useState<LatLon | null>(null);
  const [assessing, setAssessing] = useState(false);
  const [placeName, setPlaceName] = useState<string | null>(null);
  const pick = (p: LatLon, name: string | null = null): void => {
    setPlace(p);
    setPlaceName(name);
  };
  const incidents = useIncidentPages({});
  const humanitarian = useHumanitarianLayer();
  const posture = usePostureLayer();
  const items = useMemo(() => incidents.data?.pages.flatMap((p) => p.items) ?? [], [incidents.data]);
  const where = place ? countryAt(place) : undefined;
  // the map shows up to MAP_LIMIT incidents: later pages load in the background
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = incidents;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && items.length < MAP_LIMIT) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, items.length]);

  // the first view frames the incidents (else the eastern flank), once the first page has arrived
  const projection = useMemo(() => allianceProjection(MAP_W, MAP_H), []);
  const initial = useMemo(() => {
    if (!incidents.isSuccess) return undefined;
    const pts = items.flatMap((i) => (i.location ? [projection([i.location.lon, i.location.lat])] : []));
    const placed = pts.filter((p): p is [number, number] => p !== null);
    return placed.length >= 2 ? fitView(placed, MAP_W, MAP_H) : easternFlankView(projection, MAP_W, MAP_H);
    // framed once, on the first page: later pages and live arrivals do not move the map
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incidents.isSuccess, projection]);
  const placed = items.filter((i) => i.location);
  // incidents the live feed brought and the reader has not marked read
  const { unread } = useLiveStream();
  const fresh = useMemo(() => {
    const ids = new Set<string>();
    for (const e of unread) {
      const id = e.data && typeof e.data === 'object' ? (e.data as { id?: unknown }).id : undefined;
      if (e.event.startsWith('incident.') && typeof id === 'string') ids.add(id);
    }
    return ids;
  }, [unread]);

  return (
    <div className="situation">
      <section className="map-pane" aria-label="Situation map">
        <div className="toolbar">
          <h2>Situation</h2>
          <button
            type="button"
            className={assessing ? 'primary small' : 'small'}
            aria-pressed={assessing}
            onClick={() => setAssessing((a) => !a)}
            data-testid="assess-mode"
          >
            Assess a place
          </button>
          <PlaceSearch onPick={(p, name) => pick(p, name)} />
          <label className="inline">
            <input
              type="checkbox"
              checked={showAreas}
              onChange={(e) => setShowAreas(e.target.checked)}
              data-testid="toggle-areas"
            />{' '}
            Treaty area (Art. 6)
          </label>
          {humanitarian.toggle}
          {posture.toggle}
          <label className="inline">
            Membership as of{' '}
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-label="Membership as of" />
          </label>
          <span className="muted small" data-testid="map-count">
            {incidents.isPending
              ? 'loading incidents…'
              : incidents.isError
                ? ''
                : `${items.filter((i) => i.location).length} incidents placed${hasNextPage ? (items.length < MAP_LIMIT ? ' (loading more…)' : ` (latest ${MAP_LIMIT}; all in Incidents)`) : ''}`}
          </span>
        </div>
        {assessing && (
          <p className="hint" role="status">
            Click anywhere on the map (incidents do not catch the click) or find a place by name; the assessment is on
            the right.
          </p>
        )}
        {initial === undefined && !incidents.isError ? (
          <div className="map-wrap" aria-busy="true" />
        ) : (
          <SituationMap
            initial={initial}
            assessMode={assessing}
            orgs={orgs}
            asOf={date}
            incidents={items}
            showAreas={showAreas}
            picked={place}
            onPick={(p) => pick(p)}
            onIncident={(id) => navigate('incidents', id)}
            fresh={fresh}
            label="Map of the alliance: members, partners and incidents"
            layers={
              posture.layer
                ? (ctx) => (
                    <>
                      {posture.layer?.(ctx)}
                      {humanitarian.layer?.(ctx)}
                    </>
                  )
                : humanitarian.layer
            }
          />
        )}
        <Legend />
        {humanitarian.legend}
        {posture.legend}
        <details className="map-list" data-testid="map-list">
          <summary>The {placed.length} incidents on the map, as a list</summary>
          <div className="list-scroll">
            <table className="grid">
              <caption className="sr-only">Incidents placed on the map</caption>
              <thead>
                <tr>
                  <th scope="col">Occurred</th>
                  <th scope="col">Incident</th>
                  <th scope="col">Category</th>
                  <th scope="col">Place</th>
                </tr>
              </thead>
              <tbody>
                {placed.slice(0, 500).map((i) => (
                  <tr key={i.id}>
                    <td>{i.occurredAt.slice(0, 10)}</td>
                    <td>
                      <a href={hrefOf('incidents', i.id)}>{i.title}</a>
                    </td>
                    <td>{i.category.replace(/-/g, ' ')}</td>
                    <td>
                      {i.location!.lat.toFixed(2)}, {i.location!.lon.toFixed(2)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
        {humanitarian.list}
        {posture.list}
        {incidents.isError && (
          <ErrorState error={incidents.error} what="Incidents" onRetry={() => void incidents.refetch()} />
        )}
      </section>
      <aside className="rail">
        {place && (
          <p className="place-line" data-testid="place-line">
            <strong>
              {placeName ? `${placeName}, ` : ''}
              {where ? where.name : 'At sea (no country)'}
            </strong>{' '}
            <span className="muted">
              {place.lat.toFixed(3)}, {place.lon.toFixed(3)}
            </span>{' '}
            <a href="#/report" onClick={() => sessionStorage.setItem('bulwark.pickedPlace', JSON.stringify(place))}>
              Report here
            </a>
          </p>
        )}
        <AssessmentPanel place={place} party={where?.code} date={date} onDate={setDate} />
        <LiveFeed limit={30} />
      </aside>
    </div>
  );
}

function Legend(): ReactNode {
  return (
    <div className="legend" role="group" aria-label="Legend" data-testid="map-legend">
      <span>
        <i className="sw member" /> member
      </span>
      <span>
        <i className="sw partner" /> partner
      </span>
      <span>
        <i className="sw other" /> non-member
      </span>
      <span>
        <i className="sw sea" /> sea
      </span>
      <span>
        <i className="sw area" /> treaty area (Art. 6)
      </span>
      <span>
        <i className="sw tropic" /> Tropic of Cancer (southern limit)
      </span>
      {CATEGORIES.map((c) => (
        <span key={c}>
          <i className="dot" style={{ background: categoryColour[c] }} /> {c.replace(/-/g, ' ')}
        </span>
      ))}
      <span>
        <i className="dot cluster" /> several incidents (their number; click to zoom in)
      </span>
      <span>
        <i className="dot fresh" /> new in the live feed, not yet read
      </span>
    </div>
  );
}
