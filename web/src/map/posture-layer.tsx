/**
 * The situation map's posture layer: each member of a scenario set's impact matrix filled with its
 * readiness for that set (outlook posture: expected threat over the set's current probabilities), its
 * drivers shown on click, a legend entry, and a table of the same postures for readers who do not use
 * the map. Only sets the reader may read are offered (the server's list), so the layer shows nothing
 * else. Off until switched on (the data loads then).
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { geoPath } from 'd3-geo';
import { useSession } from '../app/context.tsx';
import { describeError } from '../api/client.ts';
import type { PostureViewT, SetSummaryT } from '../../../src/contexts/outlook/outlook.schema.ts';
import { READINESS_COLOUR, READINESS_WORDS } from '../outlook/logic.ts';
import { countries } from './geo.ts';
import type { LayerContext } from './humanitarian-layer.tsx';

export interface PostureLayer {
  /** The switch (and, while on, the choice of set) for the map's toolbar. */
  toggle: ReactNode;
  /** Draws the layer inside the map (undefined while off). */
  layer: ((ctx: LayerContext) => ReactNode) | undefined;
  /** The legend entry and the drivers of the member last chosen (null while off). */
  legend: ReactNode;
  /** The same postures as a table (null while off). */
  list: ReactNode;
}

type Member = PostureViewT['members'][number];

const base = '/api/v1/outlook/scenario-sets';

/** "Negotiated settlement +1.20" for each driver, largest first (as the server orders them). */
export function driverText(m: Member, titles: ReadonlyMap<string, string>): string {
  return m.drivers.map((d) => `${titles.get(d.scenario) ?? d.scenario} ${d.contribution.toFixed(2)}`).join(', ');
}

const label = (m: Member, titles: ReadonlyMap<string, string>): string =>
  `${m.member}: readiness ${READINESS_WORDS[m.readiness] ?? m.readiness}, expected threat ${m.expectedThreat.toFixed(2)}; drivers: ${driverText(m, titles)}`;

export function usePostureLayer(): PostureLayer {
  const { api } = useSession();
  const [on, setOn] = useState(false);
  const [chosen, setChosen] = useState<string | undefined>();
  const [member, setMember] = useState<string | undefined>();
  const sets = useQuery({
    queryKey: ['outlook', 'sets'],
    queryFn: ({ signal }) => api.get<{ items: SetSummaryT[]; next: string | null }>(`${base}?limit=100`, signal),
    enabled: on,
  });
  const setId = chosen ?? sets.data?.items[0]?.id;
  const set = sets.data?.items.find((s) => s.id === setId);
  const posture = useQuery({
    queryKey: ['outlook', 'set', setId, 'posture'],
    queryFn: ({ signal }) => api.get<PostureViewT>(`${base}/${encodeURIComponent(setId!)}/posture`, signal),
    enabled: on && setId !== undefined,
  });
  const titles = useMemo(() => new Map(set?.scenarios.map((s) => [s.key, s.title]) ?? []), [set]);
  const members = useMemo(() => posture.data?.members ?? [], [posture.data]);
  const shapes = useMemo(() => {
    const byCode = new Map(members.map((m) => [m.member, m]));
    return countries().flatMap((c) => {
      const m = c.code ? byCode.get(c.code) : undefined;
      return m ? [{ c, m }] : [];
    });
  }, [members]);

  const toggle = (
    <>
      <label className="inline">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} data-testid="toggle-posture" />{' '}
        Posture (outlook)
      </label>
      {on && (sets.data?.items.length ?? 0) > 0 && (
        <label className="inline">
          Scenario set{' '}
          <select
            value={setId ?? ''}
            onChange={(e) => {
              setChosen(e.target.value);
              setMember(undefined);
            }}
            data-testid="posture-set"
          >
            {sets.data!.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  );
  if (!on) return { toggle, layer: undefined, legend: null, list: null };

  const layer = ({ projection, assessMode }: LayerContext): ReactNode => {
    const path = geoPath(projection);
    return (
      <g
        className="posture-layer"
        data-testid="posture-layer"
        style={assessMode ? { pointerEvents: 'none', opacity: 0.55 } : undefined}
      >
        {shapes.map(({ c, m }, i) => (
          <path
            key={`${c.id}-${i}`}
            d={path(c.feature) ?? ''}
            className="posture-shape"
            data-testid="posture-member"
            data-member={m.member}
            data-readiness={m.readiness}
            role="button"
            tabIndex={assessMode ? -1 : 0}
            aria-label={`${label(m, titles)}: show the drivers`}
            aria-pressed={member === m.member}
            style={{
              fill: READINESS_COLOUR[m.readiness],
              fillOpacity: 0.55,
              stroke: member === m.member ? '#ffffff' : READINESS_COLOUR[m.readiness],
              strokeWidth: member === m.member ? 2.5 : 1,
              cursor: 'pointer',
            }}
            vectorEffect="non-scaling-stroke"
            onClick={(e) => {
              e.stopPropagation();
              setMember(m.member);
            }}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' && e.key !== ' ') return;
              e.preventDefault();
              e.stopPropagation();
              setMember(m.member);
            }}
          >
            <title>{label(m, titles)}</title>
          </path>
        ))}
      </g>
    );
  };

  const picked = members.find((m) => m.member === member);
  const legend = (
    <div className="legend" aria-label="Posture layer legend" data-testid="posture-legend">
      {Object.entries(READINESS_COLOUR).map(([r, colour]) => (
        <span key={r}>
          <i className="sw" style={{ background: colour, opacity: 0.8 }} /> readiness {READINESS_WORDS[r] ?? r}
        </span>
      ))}
      {set && <span className="muted">for “{set.title}” (expected threat over its current probabilities)</span>}
      {sets.isPending && <span role="status">loading scenario sets…</span>}
      {sets.isSuccess && sets.data.items.length === 0 && <span role="status">no scenario set you may read</span>}
      {sets.isError && <span role="status">posture: {describeError(sets.error)}</span>}
      {posture.isError && <span role="status">posture: {describeError(posture.error)}</span>}
      {posture.isSuccess && members.length === 0 && <span role="status">this set has no impact matrix yet</span>}
      <p className="posture-drivers" role="status" data-testid="posture-drivers">
        {picked
          ? `${picked.member}: ${READINESS_WORDS[picked.readiness] ?? picked.readiness} readiness (expected threat ${picked.expectedThreat.toFixed(2)}). Drivers: ${driverText(picked, titles)}.`
          : members.length > 0
            ? 'Choose a coloured member for the drivers of its readiness.'
            : ''}
      </p>
    </div>
  );

  const list = (
    <details className="map-list" data-testid="posture-list">
      <summary>
        The posture of {members.length} {members.length === 1 ? 'member' : 'members'} on the map, as a list
      </summary>
      <div className="list-scroll">
        <table className="grid">
          <caption className="sr-only">Readiness of each member for the chosen scenario set, with its drivers</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Readiness</th>
              <th scope="col">Expected threat</th>
              <th scope="col">Drivers (contribution to the expected threat)</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.member} data-member={m.member}>
                <td>{m.member}</td>
                <td>{READINESS_WORDS[m.readiness] ?? m.readiness}</td>
                <td>{m.expectedThreat.toFixed(2)}</td>
                <td>{driverText(m, titles)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
  return { toggle, layer, legend, list };
}
