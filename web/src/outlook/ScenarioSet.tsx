import { useCallback, useMemo, type ReactNode } from 'react';
import * as Plot from '@observablehq/plot';
import { useSession } from '../app/context.tsx';
import { hrefOf } from '../app/router.ts';
import { palette } from '../app/theme.ts';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { ErrorState, Loading } from '../ui/states.tsx';
import { usePosture, useSensitivity, useSet, type SetViewT } from './api.ts';
import {
  READINESS_COLOUR,
  READINESS_WORDS,
  explanations,
  historySeries,
  isoDate,
  logOdds,
  pct,
  points,
  postureRows,
  sensitivitySentences,
  type Explanation,
} from './logic.ts';
import { PlotFigure } from './PlotFigure.tsx';
import { AddSignpostForm, ImpactsForm } from './CreateSet.tsx';
import { namedBars } from './charts.ts';
import { TableScroll } from './TableScroll.tsx';
import { AddObservation } from './AddObservation.tsx';

/** Colours of the scenarios in the charts (distinct on the dark panel, 3:1 or more against it). */
const SERIES = ['#79b8ff', '#ff9492', '#7ee2a8', '#f2cc60', '#dcb0ff', '#ffa26b', '#6fd3ff', '#ffb3e0'];

/** One scenario set: probabilities, their history, observations with reasons, sensitivity, signposts, posture. */
export function ScenarioSet({ id }: { id: string }): ReactNode {
  const set = useSet(id);
  if (set.isPending) return <Loading what="the scenario set" />;
  if (set.isError) return <ErrorState error={set.error} what="The scenario set" onRetry={() => void set.refetch()} />;
  return <SetDetail set={set.data} />;
}

function SetDetail({ set }: { set: SetViewT }): ReactNode {
  const { me } = useSession();
  const mine = me.organisation.code === set.author;
  const colours = useMemo(
    () => ({ domain: set.scenarios.map((s) => s.title), range: SERIES.slice(0, set.scenarios.length) }),
    [set.scenarios],
  );
  const steps = useMemo(() => explanations(set), [set]);
  return (
    <article className="outlook-set" data-testid="scenario-set" aria-labelledby="set-title">
      <header className="detail-head">
        <div>
          <h2 id="set-title">{set.title}</h2>
          <p className="muted">{set.question}</p>
          <p className="small muted">
            By {set.author} · horizon {set.horizon} · updated {isoDate(set.updatedAt)}
          </p>
        </div>
        <TlpBadge tlp={set.tlp} />
      </header>
      <Probabilities set={set} colours={colours} />
      <History set={set} colours={colours} />
      <section className="card" aria-labelledby="obs-h">
        <h3 id="obs-h">Observations and why they moved the probabilities</h3>
        {mine ? (
          <AddObservation set={set} />
        ) : (
          <p className="hint">Only analysts of {set.author}, the set’s author, add observations.</p>
        )}
        {steps.length === 0 ? (
          <p className="hint">No observation yet: the probabilities are the priors.</p>
        ) : (
          <ol className="outlook-steps" reversed data-testid="explanations">
            {[...steps].reverse().map((e) => (
              <Step key={e.observation} e={e} />
            ))}
          </ol>
        )}
      </section>
      <Sensitivity set={set} />
      <Signposts set={set} mine={mine} />
      <Posture set={set} mine={mine} />
    </article>
  );
}

type Colours = { domain: string[]; range: string[] };

function Probabilities({ set, colours }: { set: SetViewT; colours: Colours }): ReactNode {
  const options = useCallback(
    (width: number): Plot.PlotOptions => {
      const layout = namedBars(
        width,
        set.scenarios.map((s) => s.title),
      );
      return {
        width,
        height: layout.height,
        marginLeft: layout.marginLeft,
        x: { domain: [0, 100], label: 'Probability (%)', grid: true },
        y: layout.y,
        color: colours,
        marks: [
          Plot.barX(set.scenarios, {
            y: 'title',
            x: (s: { probability: number }) => s.probability * 100,
            fill: 'title',
          }),
          Plot.tickX(set.scenarios, {
            y: 'title',
            x: (s: { prior: number }) => s.prior * 100,
            stroke: palette.text,
            strokeDasharray: '3,2',
          }),
          Plot.ruleX([0], { stroke: palette.muted }),
          layout.axis,
        ],
      };
    },
    [set.scenarios, colours],
  );
  return (
    <section className="card" aria-labelledby="prob-h">
      <h3 id="prob-h">Current probabilities</h3>
      <PlotFigure
        label="Bar chart of the current probability of each scenario; dashed ticks mark the priors"
        options={options}
        testId="probability-chart"
      />
      <TableScroll label="Probability of each scenario">
        <table className="grid" data-testid="probabilities">
          <caption className="sr-only">Probability of each scenario</caption>
          <thead>
            <tr>
              <th scope="col">Scenario</th>
              <th scope="col">Prior</th>
              <th scope="col">Now</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {set.scenarios.map((s) => (
              <tr key={s.key} data-scenario={s.key}>
                <th scope="row">
                  {s.title}
                  {s.description && <div className="small muted">{s.description}</div>}
                </th>
                <td>{pct(s.prior)}</td>
                <td data-testid={`probability-${s.key}`}>{pct(s.probability)}</td>
                <td>{points((s.probability - s.prior) * 100)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function History({ set, colours }: { set: SetViewT; colours: Colours }): ReactNode {
  const options = useCallback(
    (width: number): Plot.PlotOptions => ({
      width,
      height: 260,
      y: { domain: [0, 100], label: 'Probability (%)', grid: true },
      x: { type: 'utc', label: null, ticks: Math.max(2, Math.floor(width / 110)) },
      color: { ...colours, legend: true },
      marks: [
        Plot.lineY(historySeries(set, new Date()), {
          x: 'at',
          y: (p: { probability: number }) => p.probability * 100,
          stroke: 'scenario',
          curve: 'step-after',
          strokeWidth: 2,
        }),
      ],
    }),
    [set, colours],
  );
  if (set.history.length === 0) return null;
  return (
    <section className="card" aria-labelledby="hist-h">
      <h3 id="hist-h">How the probabilities moved</h3>
      <PlotFigure
        label="Line chart of each scenario's probability from its prior through every observation"
        options={options}
        testId="history-chart"
      />
    </section>
  );
}

function Step({ e }: { e: Explanation }): ReactNode {
  const top = e.moves[0];
  return (
    <li className="outlook-step" data-observation={e.observation}>
      <p>
        <strong>{isoDate(e.at)}</strong> · {e.observed ? 'Seen' : 'Not seen'}: <strong>{e.signpostTitle}</strong> ·
        confidence {pct(e.confidence, 0)}
      </p>
      {e.note && <p className="muted">{e.note}</p>}
      <p className="explanation">
        {e.why}
        {top && Math.abs(top.points) >= 0.05 && (
          <>
            {' '}
            Largest move: “{top.title}” {points(top.points)}.
          </>
        )}
      </p>
      {e.evidence.length > 0 && (
        <p className="small">
          Evidence:{' '}
          {e.evidence.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              {id.startsWith('incident--') ? <a href={hrefOf('incidents', id)}>{id}</a> : <code>{id}</code>}
            </span>
          ))}
        </p>
      )}
      <details>
        <summary>Moves of every scenario</summary>
        <TableScroll label={`Moves of every scenario after “${e.signpostTitle}” on ${isoDate(e.at)}`}>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">Likelihood of the signpost</th>
                <th scope="col">Moved</th>
                <th scope="col">Log-odds</th>
              </tr>
            </thead>
            <tbody>
              {e.moves.map((m) => (
                <tr key={m.scenario}>
                  <th scope="row">{m.title}</th>
                  <td>{Number.isFinite(m.likelihood) ? pct(m.likelihood, 0) : '–'}</td>
                  <td>{points(m.points)}</td>
                  <td>{logOdds(m.logOdds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </li>
  );
}

function Sensitivity({ set }: { set: SetViewT }): ReactNode {
  const s = useSensitivity(set.id);
  return (
    <section className="card" aria-labelledby="sens-h" data-testid="sensitivity">
      <h3 id="sens-h">Sensitivity</h3>
      {s.isPending && <Loading what="the sensitivity" />}
      {s.isError && <ErrorState error={s.error} what="The sensitivity" />}
      {s.data && (
        <>
          <p>{sensitivitySentences(set, s.data).leaders}</p>
          {s.data.decisive.length === 0 ? (
            <p className="hint">No single observation, if dropped, would change which scenario ranks first.</p>
          ) : (
            <ul>
              {sensitivitySentences(set, s.data).decisive.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Signposts({ set, mine }: { set: SetViewT; mine: boolean }): ReactNode {
  return (
    <section className="card" aria-labelledby="sp-h">
      <h3 id="sp-h">Signposts</h3>
      {mine && <AddSignpostForm set={set} />}
      <p className="hint">The chance of seeing each signpost if the scenario is the one that comes true.</p>
      <TableScroll label="Signposts and their likelihoods">
        <table className="grid" data-testid="signposts">
          <thead>
            <tr>
              <th scope="col">Signpost</th>
              {set.scenarios.map((s) => (
                <th scope="col" key={s.key}>
                  {s.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {set.signposts.map((p) => (
              <tr key={p.key}>
                <th scope="row">{p.title}</th>
                {set.scenarios.map((s) => (
                  <td key={s.key}>{pct(p.likelihoods[s.key] ?? Number.NaN, 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function Posture({ set, mine }: { set: SetViewT; mine: boolean }): ReactNode {
  const posture = usePosture(set.id);
  const rows = useMemo(() => (posture.data ? postureRows(set, posture.data) : []), [set, posture.data]);
  const options = useCallback(
    (width: number): Plot.PlotOptions => ({
      width,
      height: 40 + rows.length * 24,
      marginLeft: 40,
      x: { domain: [0, 5], label: 'Expected threat (1–5)', grid: true },
      y: { label: null },
      color: { domain: Object.keys(READINESS_COLOUR), range: Object.values(READINESS_COLOUR) },
      marks: [
        Plot.barX(rows, { y: 'member', x: 'expectedThreat', fill: 'readiness' }),
        Plot.ruleX([2, 3, 4], { stroke: palette.muted, strokeDasharray: '2,3' }),
      ],
    }),
    [rows],
  );
  const editor = mine && (
    <details className="impacts-editor" open={Object.keys(set.impacts).length === 0}>
      <summary>Edit the impact matrix</summary>
      <ImpactsForm set={set} />
    </details>
  );
  if (Object.keys(set.impacts).length === 0)
    return editor ? (
      <section className="card" aria-labelledby="posture-h" data-testid="posture">
        <h3 id="posture-h">Eastern flank: threat and posture</h3>
        <p className="hint">No impact matrix yet: set each member’s threat level under each scenario.</p>
        {editor}
      </section>
    ) : null;
  return (
    <section className="card" aria-labelledby="posture-h" data-testid="posture">
      <h3 id="posture-h">Eastern flank: threat and posture</h3>
      {editor}
      <p className="hint">
        Threat level (1–5) each member expects if a scenario comes true; the expected threat weighs them by the current
        probabilities and sets the readiness: normal below 2, elevated from 2, high from 3, very high from 4.
      </p>
      {posture.isError && <ErrorState error={posture.error} what="The posture" />}
      {rows.length > 0 && (
        <>
          <PlotFigure
            label="Bar chart of each member's expected threat, coloured by readiness"
            options={options}
            testId="posture-chart"
          />
          <TableScroll label="Impact matrix and posture">
            <table className="grid" data-testid="impact-matrix">
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  {set.scenarios.map((s) => (
                    <th scope="col" key={s.key}>
                      {s.title}
                    </th>
                  ))}
                  <th scope="col">Expected threat</th>
                  <th scope="col">Readiness</th>
                  <th scope="col">Main drivers</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.member} data-member={r.member}>
                    <th scope="row">{r.member}</th>
                    {set.scenarios.map((s) => (
                      <td key={s.key}>{r.levels[s.key] ?? '–'}</td>
                    ))}
                    <td>{r.expectedThreat.toFixed(2)}</td>
                    <td data-readiness={r.readiness}>
                      <span
                        className="readiness-dot"
                        style={{ background: READINESS_COLOUR[r.readiness] }}
                        aria-hidden="true"
                      />{' '}
                      {READINESS_WORDS[r.readiness] ?? r.readiness}
                    </td>
                    <td className="small">
                      {r.drivers
                        .slice(0, 2)
                        .map((d) => `${d.title} ${d.contribution.toFixed(2)}`)
                        .join('; ')}
                    </td>
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
