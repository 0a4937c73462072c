import { useCallback, useMemo, useState, type ReactNode } from 'react';
import * as Plot from '@observablehq/plot';
import { useSession } from '../app/context.tsx';
import { palette } from '../app/theme.ts';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { Empty, ErrorState, FormError, Loading } from '../ui/states.tsx';
import { useForecast, useQuestion, useResolve, useScores, type QuestionViewT, type ScoresViewT } from './api.ts';
import { forecastOf, isoDate, pct } from './logic.ts';
import { PlotFigure } from './PlotFigure.tsx';
import { TableScroll } from './TableScroll.tsx';

/** One forecast question: criteria, the forecast form, the crowd once one has forecast, resolution and scores. */
export function Question({ id }: { id: string }): ReactNode {
  const q = useQuestion(id);
  const { me } = useSession();
  if (q.isPending) return <Loading what="the question" />;
  if (q.isError) return <ErrorState error={q.error} what="The question" onRetry={() => void q.refetch()} />;
  const v = q.data;
  const canResolve =
    isAdminOf(me.organisation.code, v.author, me.user.role) && (v.status === 'open' || v.status === 'closed');
  return (
    <article data-testid="question" aria-labelledby="q-title">
      <header className="detail-head">
        <div>
          <h2 id="q-title">{v.title}</h2>
          <p className="small muted">
            By {v.author} · closes {v.closesAt.slice(0, 16).replace('T', ' ')} UTC · {v.status} · {v.forecasters}{' '}
            {v.forecasters === 1 ? 'forecaster' : 'forecasters'}
          </p>
        </div>
        <TlpBadge tlp={v.tlp} />
      </header>
      <section className="card" aria-labelledby="crit-h">
        <h3 id="crit-h">Resolution criteria</h3>
        <p className="prewrap">{v.resolutionCriteria}</p>
        {v.signpost && <p className="small muted">Linked to the signpost “{v.signpost.key}” of a scenario set.</p>}
      </section>
      {v.status === 'open' && <ForecastForm q={v} />}
      <section className="card" aria-labelledby="crowd-h" data-testid="crowd">
        <h3 id="crowd-h">Crowd</h3>
        {v.crowd === null ? (
          <p className="hint">The crowd’s forecast is shown once you have made your own.</p>
        ) : (
          <ul>
            {v.options.map((o) => (
              <li key={o}>
                {o}: {pct(v.crowd![o] ?? 0)}
                {v.myForecast && <span className="muted"> (yours {pct(v.myForecast.probabilities[o] ?? 0)})</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {v.resolution && (
        <section className="card" aria-labelledby="res-h" data-testid="resolution">
          <h3 id="res-h">Resolution</h3>
          <p>
            {v.resolution.outcome === 'annulled' ? 'Annulled' : `Resolved “${v.resolution.outcome}”`} on{' '}
            {isoDate(v.resolution.at)}.
          </p>
          {v.scores && v.scores.length > 0 && (
            <TableScroll label="Scores of the forecasts">
              <table className="grid" data-testid="question-scores">
                <thead>
                  <tr>
                    <th scope="col">Forecaster</th>
                    <th scope="col">Member</th>
                    <th scope="col">Brier (0 best, 2 worst)</th>
                    <th scope="col">Log score (0 best)</th>
                  </tr>
                </thead>
                <tbody>
                  {v.scores.map((s) => (
                    <tr key={s.user}>
                      <th scope="row">{s.user}</th>
                      <td>{s.member}</td>
                      <td>{s.brier.toFixed(3)}</td>
                      <td>{s.log.toFixed(3)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
      )}
      {canResolve && <ResolveForm q={v} />}
    </article>
  );
}

function isAdminOf(org: string, author: string, role: string): boolean {
  return org === author && role === 'admin';
}

function ForecastForm({ q }: { q: QuestionViewT }): ReactNode {
  const send = useForecast(q.id);
  const [weights, setWeights] = useState<Record<string, number>>(() =>
    Object.fromEntries(
      q.options.map((o) => [o, Math.round((q.myForecast?.probabilities[o] ?? 1 / q.options.length) * 100)]),
    ),
  );
  const [rationale, setRationale] = useState(q.myForecast?.rationale ?? '');
  const binary = q.options.length === 2;
  const probabilities = forecastOf(weights);
  const setOne = (o: string, v: number) =>
    setWeights((w) =>
      binary ? Object.fromEntries(q.options.map((x) => [x, x === o ? v : 100 - v])) : { ...w, [o]: v },
    );
  return (
    <form
      className="card outlook-form"
      aria-labelledby="fc-h"
      data-testid="forecast-form"
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate({ probabilities, rationale });
      }}
    >
      <h3 id="fc-h">{q.myForecast ? 'Update your forecast' : 'Your forecast'}</h3>
      {q.options.map((o) => (
        <label key={o}>
          {o}: {pct(probabilities[o] ?? 0)}
          <input
            type="range"
            min={1}
            max={99}
            step={1}
            value={weights[o] ?? 0}
            aria-valuetext={pct(probabilities[o] ?? 0)}
            onChange={(e) => setOne(o, Number(e.target.value))}
          />
        </label>
      ))}
      <label>
        Rationale (required)
        <textarea
          value={rationale}
          onChange={(e) => setRationale(e.target.value)}
          required
          rows={3}
          maxLength={10_000}
        />
      </label>
      <div className="actions">
        <button type="submit" disabled={send.isPending || rationale.trim() === ''}>
          {send.isPending ? 'Sending…' : 'Forecast'}
        </button>
        {send.isSuccess && <span role="status">Forecast recorded.</span>}
      </div>
      <FormError error={send.error} />
    </form>
  );
}

function ResolveForm({ q }: { q: QuestionViewT }): ReactNode {
  const resolve = useResolve(q.id);
  const [outcome, setOutcome] = useState(q.options[0] ?? '');
  return (
    <form
      className="card outlook-form"
      aria-labelledby="resolve-h"
      onSubmit={(e) => {
        e.preventDefault();
        resolve.mutate(outcome);
      }}
    >
      <h3 id="resolve-h">Resolve (administrators of {q.author})</h3>
      <label>
        Outcome
        <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          {[...q.options, 'annulled'].map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="submit" disabled={resolve.isPending}>
          Resolve
        </button>
      </div>
      <FormError error={resolve.error} />
    </form>
  );
}

/** Mean Brier score and calibration of the users of the reader's organisation. */
export function Scores(): ReactNode {
  const s = useScores();
  const { me } = useSession();
  if (s.isPending) return <Loading what="the scores" />;
  if (s.isError) return <ErrorState error={s.error} what="The scores" onRetry={() => void s.refetch()} />;
  return (
    <section aria-labelledby="scores-h" data-testid="scores">
      <h2 id="scores-h">Scores of {me.organisation.code}’s forecasters</h2>
      {s.data.items.length === 0 ? (
        <Empty>No forecaster of your organisation yet.</Empty>
      ) : (
        <>
          <TableScroll label="Mean Brier score per forecaster">
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">Forecaster</th>
                  <th scope="col">Resolved questions</th>
                  <th scope="col">Mean Brier (0 best)</th>
                </tr>
              </thead>
              <tbody>
                {s.data.items.map((u) => (
                  <tr key={u.user}>
                    <th scope="row">{u.user}</th>
                    <td>{u.questions}</td>
                    <td>{u.meanBrier === null ? '–' : u.meanBrier.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Calibration items={s.data.items} />
        </>
      )}
    </section>
  );
}

function Calibration({ items }: { items: ScoresViewT['items'] }): ReactNode {
  const bins = useMemo(
    () =>
      items.flatMap((u) =>
        u.calibration
          .filter((b) => b.observed !== null && b.forecasts > 0)
          .map((b) => ({
            user: u.user,
            said: ((b.from + b.to) / 2) * 100,
            observed: b.observed! * 100,
            n: b.forecasts,
          })),
      ),
    [items],
  );
  const options = useCallback(
    (width: number): Plot.PlotOptions => ({
      width: Math.min(width, 480),
      height: Math.min(width, 480) * 0.8,
      x: { domain: [0, 100], label: 'Said “yes” with (%)', grid: true },
      y: { domain: [0, 100], label: 'Resolved “yes” (%)', grid: true },
      marks: [
        Plot.line(
          [
            [0, 0],
            [100, 100],
          ],
          { stroke: palette.muted, strokeDasharray: '4,3' },
        ),
        Plot.dot(bins, { x: 'said', y: 'observed', r: 'n', fill: palette.accent, stroke: palette.text }),
      ],
    }),
    [bins],
  );
  return (
    <section className="card" aria-labelledby="cal-h">
      <h3 id="cal-h">Calibration</h3>
      <p className="hint">
        Each dot is a band of forecasts of “yes” on resolved yes/no questions: a well-calibrated forecaster lies on the
        dashed diagonal.
      </p>
      {bins.length === 0 ? (
        <p className="hint">No resolved yes/no question yet.</p>
      ) : (
        <>
          <PlotFigure
            label="Calibration plot: forecast probability against how often it came true"
            options={options}
            testId="calibration-chart"
          />
          <TableScroll label="Calibration table">
            <table className="grid" data-testid="calibration">
              <thead>
                <tr>
                  <th scope="col">Forecaster</th>
                  <th scope="col">Band</th>
                  <th scope="col">Forecasts</th>
                  <th scope="col">Resolved “yes”</th>
                </tr>
              </thead>
              <tbody>
                {bins.map((b) => (
                  <tr key={`${b.user}-${b.said}`}>
                    <th scope="row">{b.user}</th>
                    <td>
                      {(b.said - 5).toFixed(0)}–{(b.said + 5).toFixed(0)}%
                    </td>
                    <td>{b.n}</td>
                    <td>{b.observed.toFixed(0)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
