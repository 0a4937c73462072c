import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSession } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import type { LatLon } from '../api/types.ts';
import { CATEGORIES } from '../api/types.ts';
import { categoryColour } from '../app/theme.ts';
import { useIncidentPages } from '../incidents/api.ts';
import { AssessmentPanel } from '../treaty/AssessmentPanel.tsx';
import { LiveFeed } from '../stream/LiveFeed.tsx';
import { ErrorState } from '../ui/states.tsx';
import { countryAt } from './geo.ts';
import { SituationMap } from './SituationMap.tsx';

const MAP_LIMIT = 10_000;

export function SituationView(): ReactNode {
  const { orgs } = useSession();
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [showAreas, setShowAreas] = useState(true);
  const [place, setPlace] = useState<LatLon | null>(null);
  const incidents = useIncidentPages({});
  const items = useMemo(() => incidents.data?.pages.flatMap((p) => p.items) ?? [], [incidents.data]);
  const where = place ? countryAt(place) : undefined;
  // the map shows up to MAP_LIMIT incidents: later pages load in the background
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = incidents;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && items.length < MAP_LIMIT) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, items.length]);

  return (
    <div className="situation">
      <section className="map-pane" aria-label="Situation map">
        <div className="toolbar">
          <h2>Situation</h2>
          <label className="inline">
            <input
              type="checkbox"
              checked={showAreas}
              onChange={(e) => setShowAreas(e.target.checked)}
              data-testid="toggle-areas"
            />{' '}
            Treaty area (Art. 6)
          </label>
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
        <SituationMap
          orgs={orgs}
          asOf={date}
          incidents={items}
          showAreas={showAreas}
          picked={place}
          onPick={setPlace}
          onIncident={(id) => navigate('incidents', id)}
          label="Map of the alliance: members, partners and incidents"
        />
        <Legend />
        {incidents.isError && (
          <ErrorState error={incidents.error} what="Incidents" onRetry={() => void incidents.refetch()} />
        )}
      </section>
      <aside className="rail">
        {place && (
          <p className="place-line" data-testid="place-line">
            <strong>{where ? where.name : 'At sea (no country)'}</strong>{' '}
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
    <div className="legend" aria-label="Legend">
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
        <i className="sw tropic" /> treaty area
      </span>
      {CATEGORIES.map((c) => (
        <span key={c}>
          <i className="dot" style={{ background: categoryColour[c] }} /> {c}
        </span>
      ))}
    </div>
  );
}
