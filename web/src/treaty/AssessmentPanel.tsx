import { useState, type FormEvent, type ReactNode } from 'react';
import { useSession } from '../app/context.tsx';
import type { Assessment, LatLon, Nature, TargetKind } from '../api/types.ts';
import { FormError } from '../ui/states.tsx';
import { useAssess } from './api.ts';
import { article4Label, clauseLabel, ruleLabel } from './wording.ts';

const ARTICLE5: Record<Assessment['article5'], { label: string; tone: string; plain: string }> = {
  covered: {
    label: 'Article 5: covered',
    tone: 'bad',
    plain: 'An armed attack that Article 5, as limited by Article 6, applies to.',
  },
  'council-decision': {
    label: 'Article 5: council decision',
    tone: 'warn',
    plain: 'The treaty leaves it to the North Atlantic Council, case by case.',
  },
  'not-covered': {
    label: 'Article 5: not covered',
    tone: 'idle',
    plain: 'Article 5 does not apply to this event as described.',
  },
};

export function AssessmentPanel({
  place,
  party: suggested,
  date,
  onDate,
}: {
  place: LatLon | null;
  party: string | undefined;
  date: string;
  onDate: (d: string) => void;
}): ReactNode {
  const { members, me } = useSession();
  const assess = useAssess();
  const [party, setParty] = useState(suggested ?? (me.organisation.kind === 'member' ? me.organisation.code : 'PL'));
  const [kind, setKind] = useState<TargetKind>('territory');
  const [nature, setNature] = useState<Nature>('armed-attack');
  const [lat, setLat] = useState(place ? String(place.lat) : '');
  const [lon, setLon] = useState(place ? String(place.lon) : '');

  // A place newly picked on the map, and the party it lies in, replace what was typed. Adjusted
  // while rendering (https://react.dev/learn/you-might-not-need-an-effect), not in an effect.
  const [prevPlace, setPrevPlace] = useState(place);
  if (place !== prevPlace) {
    setPrevPlace(place);
    if (place) {
      setLat(String(place.lat));
      setLon(String(place.lon));
    }
  }
  const [prevSuggested, setPrevSuggested] = useState(suggested);
  if (suggested !== prevSuggested) {
    setPrevSuggested(suggested);
    if (suggested) setParty(suggested);
  }

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    assess.mutate({
      occurredAt: `${date}T12:00:00Z`,
      location: { lat: Number(lat), lon: Number(lon) },
      target: { party, kind },
      nature,
    });
  };
  const valid =
    lat !== '' &&
    lon !== '' &&
    Number.isFinite(Number(lat)) &&
    Number.isFinite(Number(lon)) &&
    Math.abs(Number(lat)) <= 90 &&
    Math.abs(Number(lon)) <= 180;

  return (
    <section className="card" aria-labelledby="assess-title">
      <h2 id="assess-title">Treaty assessment</h2>
      {!place && <p className="hint">Click a place on the map (or type coordinates) to assess an event there.</p>}
      <form className="form compact" onSubmit={submit}>
        <div className="grid2">
          <div>
            <label htmlFor="a-lat">Latitude</label>
            <input id="a-lat" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} />
          </div>
          <div>
            <label htmlFor="a-lon">Longitude</label>
            <input id="a-lon" inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} />
          </div>
        </div>
        <div className="grid2">
          <div>
            <label htmlFor="a-party">Party attacked</label>
            <select id="a-party" value={party} onChange={(e) => setParty(e.target.value)}>
              {members.map((m) => (
                <option key={m.code} value={m.code}>
                  {m.code} · {m.name}
                  {m.kind === 'partner' ? ' (partner)' : ''}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="a-kind">Target</label>
            <select id="a-kind" value={kind} onChange={(e) => setKind(e.target.value as TargetKind)}>
              <option value="territory">territory</option>
              <option value="forces">forces</option>
              <option value="vessel">vessel</option>
              <option value="aircraft">aircraft</option>
            </select>
          </div>
        </div>
        <div className="grid2">
          <div>
            <label htmlFor="a-date">Date</label>
            <input id="a-date" type="date" required value={date} onChange={(e) => onDate(e.target.value)} />
          </div>
          <div>
            <label htmlFor="a-nature">Nature</label>
            <select id="a-nature" value={nature} onChange={(e) => setNature(e.target.value as Nature)}>
              <option value="armed-attack">armed attack</option>
              <option value="cyber">cyber</option>
              <option value="hybrid">hybrid</option>
              <option value="space">space</option>
            </select>
          </div>
        </div>
        <button type="submit" className="primary" disabled={!valid || assess.isPending}>
          {assess.isPending ? 'Assessing…' : 'Assess'}
        </button>
      </form>
      <FormError error={assess.error} />
      {assess.data && <AssessmentResult a={assess.data} />}
    </section>
  );
}

export function AssessmentResult({ a }: { a: Assessment }): ReactNode {
  const five = ARTICLE5[a.article5];
  return (
    <div className="assessment" data-testid="assessment-result" aria-live="polite">
      <div className="verdicts">
        <span className={`verdict ${five.tone}`} data-testid="article5">
          {five.label}
        </span>
        <span className={`verdict ${a.article4 === 'available' ? 'ok' : 'idle'}`}>{article4Label(a.article4)}</span>
      </div>
      <p className="small">{five.plain}</p>
      <table className="kv small">
        <tbody>
          <tr>
            <th>Party is a member</th>
            <td>{a.partyIsMember ? 'yes' : 'no'}</td>
          </tr>
          <tr>
            <th>In the treaty area</th>
            <td>{a.inTreatyArea ? 'yes' : 'no'}</td>
          </tr>
          <tr>
            <th>Article 6 clause</th>
            <td>{a.area ? clauseLabel(a.area) : '—'}</td>
          </tr>
        </tbody>
      </table>
      <ol className="reasons">
        {a.reasons.map((r, i) => (
          <li key={i}>
            <div className="reason-head">
              <strong>{ruleLabel(r.rule)}</strong> <span className="citation">{r.citation}</span>
            </div>
            <blockquote>{r.text}</blockquote>
          </li>
        ))}
      </ol>
    </div>
  );
}
