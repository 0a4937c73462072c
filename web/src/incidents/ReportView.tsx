import { useState, type FormEvent, type ReactNode } from 'react';
import { useSession } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import { CATEGORIES, type LatLon, type Observable, type Tlp } from '../api/types.ts';
import { TLP_LEVELS } from '../../../src/kernel/access/tlp.ts';
import { tlpColour } from '../app/theme.ts';
import { SituationMap } from '../map/SituationMap.tsx';
import { allianceProjection, MAP_H, MAP_W } from '../map/geo.ts';
import { easternFlankView } from '../map/layout.ts';
import { countryAt } from '../map/geo.ts';
import { OrgPicker } from '../ui/OrgPicker.tsx';
import { FormError } from '../ui/states.tsx';
import { useReportIncident } from './api.ts';
import { buildIncident, OBSERVABLE_TYPES } from './report.ts';
import { explainReleasability, TLP_MEANING } from './releasability.ts';
import { TtpPicker } from './TtpPicker.tsx';

function localNow(): string {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function initialPlace(): LatLon | null {
  const raw = sessionStorage.getItem('bulwark.pickedPlace');
  sessionStorage.removeItem('bulwark.pickedPlace');
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as LatLon;
    return Number.isFinite(p.lat) && Number.isFinite(p.lon) ? p : null;
  } catch {
    return null;
  }
}

export function ReportView(): ReactNode {
  const { me, members, orgs } = useSession();
  const report = useReportIncident();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<string>('disinformation');
  const [occurredAt, setOccurredAt] = useState(localNow);
  const [place] = useState(initialPlace);
  const [lat, setLat] = useState(place ? String(place.lat) : '');
  const [lon, setLon] = useState(place ? String(place.lon) : '');
  const [affected, setAffected] = useState<string[]>(() =>
    me.organisation.kind === 'member' ? [me.organisation.code] : [],
  );
  const [observables, setObservables] = useState<Observable[]>([]);
  const [narratives, setNarratives] = useState('');
  const [ttps, setTtps] = useState<string[]>([]);
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [audience, setAudience] = useState<string[]>([]);

  const picked: LatLon | null =
    lat !== '' && lon !== '' && Number.isFinite(Number(lat)) && Number.isFinite(Number(lon))
      ? { lat: Number(lat), lon: Number(lon) }
      : null;
  const where = picked ? countryAt(picked) : undefined;
  const explanation = explainReleasability({ tlp, audience, author: me.organisation.code, orgs: members });

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    report.mutate(
      buildIncident({
        title,
        description,
        category,
        occurredAt,
        lat,
        lon,
        affected,
        observables,
        narratives,
        ttps,
        tlp,
        audience,
      }),
      {
        onSuccess: (i) => navigate('incidents', i.id),
      },
    );
  };

  return (
    <form className="report" onSubmit={submit} aria-label="Report an incident">
      <div className="report-main">
        <h2>Report an incident</h2>
        <label htmlFor="i-title">Title</label>
        <input
          id="i-title"
          required
          maxLength={300}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          autoFocus
        />
        <div className="grid2">
          <div>
            <label htmlFor="i-category">Category</label>
            <select id="i-category" value={category} onChange={(e) => setCategory(e.target.value)}>
              {CATEGORIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="i-when">Occurred at (local time)</label>
            <input
              id="i-when"
              type="datetime-local"
              required
              value={occurredAt}
              onChange={(e) => setOccurredAt(e.target.value)}
            />
          </div>
        </div>
        <label htmlFor="i-description">Description</label>
        <textarea
          id="i-description"
          rows={5}
          required
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <fieldset>
          <legend>Place</legend>
          <div className="grid2">
            <div>
              <label htmlFor="i-lat">Latitude</label>
              <input
                id="i-lat"
                inputMode="decimal"
                value={lat}
                onChange={(e) => setLat(e.target.value)}
                placeholder="e.g. 54.687"
              />
            </div>
            <div>
              <label htmlFor="i-lon">Longitude</label>
              <input
                id="i-lon"
                inputMode="decimal"
                value={lon}
                onChange={(e) => setLon(e.target.value)}
                placeholder="e.g. 25.279"
              />
            </div>
          </div>
          <p className="hint">
            {picked ? `${where?.name ?? 'at sea'} · click the map to move it` : 'Type coordinates or click the map.'}
          </p>
          <div className="mini-map">
            <SituationMap
              initial={easternFlankView(allianceProjection(MAP_W, MAP_H), MAP_W, MAP_H)}
              orgs={orgs}
              asOf={occurredAt.slice(0, 10)}
              picked={picked}
              onPick={(p) => {
                setLat(String(p.lat));
                setLon(String(p.lon));
              }}
              label="Pick the place of the incident"
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Affected members</legend>
          <OrgPicker
            orgs={members}
            value={affected}
            onChange={setAffected}
            label="Affected members"
            testId="affected"
          />
        </fieldset>
        <fieldset>
          <legend>Observables</legend>
          {observables.map((o, i) => (
            <div className="obs-row" key={i}>
              <select
                aria-label={`Observable ${i + 1} type`}
                value={o.type}
                onChange={(e) =>
                  setObservables(observables.map((x, j) => (j === i ? { ...x, type: e.target.value } : x)))
                }
              >
                {OBSERVABLE_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
              <input
                aria-label={`Observable ${i + 1} value`}
                value={o.value}
                placeholder={o.type === 'file' ? 'SHA-256 hash' : 'value'}
                onChange={(e) =>
                  setObservables(observables.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))
                }
              />
              <button
                type="button"
                aria-label={`Remove observable ${i + 1}`}
                onClick={() => setObservables(observables.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="small"
            onClick={() => setObservables([...observables, { type: 'domain-name', value: '' }])}
          >
            Add observable
          </button>
          <label htmlFor="i-narratives">Narratives (one claim per line)</label>
          <textarea
            id="i-narratives"
            rows={3}
            value={narratives}
            onChange={(e) => setNarratives(e.target.value)}
            placeholder="e.g. “The alliance is preparing to attack …”"
          />
          <label htmlFor="ttp-search">TTPs (DISARM / ATT&CK)</label>
          <TtpPicker value={ttps} onChange={setTtps} />
        </fieldset>
      </div>
      <aside className="report-side">
        <fieldset>
          <legend>Sharing</legend>
          <div className="tlp-row" role="radiogroup" aria-label="TLP">
            {TLP_LEVELS.map((t) => (
              <label
                key={t}
                className={`tlp-choice${tlp === t ? ' checked' : ''}`}
                style={tlp === t ? { background: tlpColour[t]!.bg, color: tlpColour[t]!.fg } : undefined}
              >
                <input type="radio" name="tlp" value={t} checked={tlp === t} onChange={() => setTlp(t)} />
                {t.toUpperCase()}
              </label>
            ))}
          </div>
          <p className="hint">{TLP_MEANING[tlp]}</p>
          <label>Audience (optional: limits who reads it)</label>
          <OrgPicker
            orgs={members.filter((m) => m.code !== me.organisation.code)}
            value={audience}
            onChange={setAudience}
            label="Audience"
            testId="audience"
          />
          <div className="who-sees" aria-live="polite" data-testid="who-sees">
            <strong>Who will see it</strong>
            <p>{explanation.summary}</p>
            {explanation.notes.map((n) => (
              <p key={n} className="note">
                {n}
              </p>
            ))}
            <p className="muted small">
              {explanation.readers.length} organisation{explanation.readers.length === 1 ? '' : 's'}:{' '}
              {explanation.readers.join(' ')}
            </p>
          </div>
        </fieldset>
        <FormError error={report.error} />
        <button type="submit" className="primary wide" disabled={report.isPending}>
          {report.isPending ? 'Sharing…' : 'Share report'}
        </button>
      </aside>
    </form>
  );
}
