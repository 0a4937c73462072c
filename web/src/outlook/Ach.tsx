import { useCallback, type ReactNode } from 'react';
import * as Plot from '@observablehq/plot';
import { useSession } from '../app/context.tsx';
import { palette } from '../app/theme.ts';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { ErrorState, FormError, Loading } from '../ui/states.tsx';
import { useAch, usePutEvidence, type AchViewT } from './api.ts';
import { GRADES, RATINGS, RATING_WORDS, leastInconsistent, type Grade, type Rating } from './logic.ts';
import { AddEvidenceForm } from './CreateAch.tsx';
import { PlotFigure } from './PlotFigure.tsx';
import { namedBars } from './charts.ts';
import { TableScroll } from './TableScroll.tsx';

type Evidence = AchViewT['evidence'][number];

/**
 * An ACH matrix: evidence down, hypotheses across, a rating in each cell (a select for the author's
 * analysts: scores and ranks follow at once), the inconsistency and rank of each hypothesis.
 */
export function AchMatrix({ id }: { id: string }): ReactNode {
  const q = useAch(id);
  if (q.isPending) return <Loading what="the matrix" />;
  if (q.isError) return <ErrorState error={q.error} what="The matrix" onRetry={() => void q.refetch()} />;
  return <Matrix v={q.data} />;
}

function Matrix({ v }: { v: AchViewT }): ReactNode {
  const { me } = useSession();
  const editable = me.organisation.code === v.author;
  const put = usePutEvidence(v.id);
  const best = leastInconsistent(v);
  const change = (
    e: Evidence,
    patch: Partial<Pick<Evidence, 'credibility' | 'relevance'>> & { rating?: [string, Rating] },
  ) =>
    put.mutate({
      key: e.key,
      title: e.title,
      credibility: patch.credibility ?? e.credibility,
      relevance: patch.relevance ?? e.relevance,
      ratings: patch.rating ? { ...e.ratings, [patch.rating[0]]: patch.rating[1] } : e.ratings,
      ...(e.source ? { source: e.source } : {}),
    });
  const options = useCallback(
    (width: number): Plot.PlotOptions => {
      const layout = namedBars(
        width,
        [...v.hypotheses].sort((a, b) => a.rank - b.rank).map((h) => h.title),
      );
      return {
        width,
        height: layout.height,
        marginLeft: layout.marginLeft,
        x: { label: 'Inconsistency (0 is best)', grid: true },
        y: layout.y,
        marks: [
          layout.axis,
          Plot.barX(v.hypotheses, {
            y: 'title',
            x: 'inconsistency',
            fill: (h: { rank: number }) => (h.rank === 1 ? palette.ok : palette.muted),
          }),
          Plot.ruleX([0], { stroke: palette.text }),
        ],
      };
    },
    [v.hypotheses],
  );
  return (
    <article data-testid="ach" aria-labelledby="ach-title">
      <header className="detail-head">
        <div>
          <h2 id="ach-title">{v.title}</h2>
          {v.description && <p className="muted">{v.description}</p>}
          <p className="small muted">By {v.author}</p>
        </div>
        <TlpBadge tlp={v.tlp} />
      </header>
      <section className="card" aria-labelledby="ach-best-h">
        <h3 id="ach-best-h">Least inconsistent</h3>
        <p data-testid="ach-best">
          {best.length === 0
            ? 'No hypothesis yet.'
            : `${best.map((t) => `“${t}”`).join(' and ')} ${best.length > 1 ? 'are' : 'is'} the least inconsistent with the evidence.`}
        </p>
        {v.decisive.length > 0 && (
          <p className="small">
            Removing any one of these would change that:{' '}
            {v.decisive.map((k) => v.evidence.find((e) => e.key === k)?.title ?? k).join('; ')}.
          </p>
        )}
        <PlotFigure
          label="Bar chart of each hypothesis's inconsistency; rank 1 is highlighted"
          options={options}
          testId="ach-chart"
        />
      </section>
      <section className="card" aria-labelledby="ach-m-h">
        <h3 id="ach-m-h">Matrix</h3>
        <p className="hint">
          Ratings: CC very consistent, C consistent, N neutral, I inconsistent, II very inconsistent, NA not applicable.
          Only I and II count against a hypothesis, weighted by credibility and relevance.
          {editable ? ' Change a cell and the scores follow.' : ` Only analysts of ${v.author} change the ratings.`}
        </p>
        <FormError error={put.error} />
        {editable && <AddEvidenceForm v={v} />}
        <TableScroll label="The ACH matrix">
          <table className="grid ach-matrix" data-testid="ach-matrix">
            <thead>
              <tr>
                <th scope="col">Evidence</th>
                <th scope="col">Credibility</th>
                <th scope="col">Relevance</th>
                {v.hypotheses.map((h) => (
                  <th scope="col" key={h.key}>
                    {h.title}
                  </th>
                ))}
                <th scope="col">Diagnostic</th>
              </tr>
            </thead>
            <tbody>
              {v.evidence.map((e) => (
                <tr key={e.key} data-evidence={e.key}>
                  <th scope="row">{e.title}</th>
                  <td>
                    <GradeCell
                      e={e}
                      what="credibility"
                      editable={editable}
                      onChange={(g) => change(e, { credibility: g })}
                    />
                  </td>
                  <td>
                    <GradeCell
                      e={e}
                      what="relevance"
                      editable={editable}
                      onChange={(g) => change(e, { relevance: g })}
                    />
                  </td>
                  {v.hypotheses.map((h) => (
                    <td key={h.key} data-rating={e.ratings[h.key]}>
                      {editable ? (
                        <select
                          aria-label={`${e.title}: rating for ${h.title}`}
                          value={e.ratings[h.key] ?? 'NA'}
                          disabled={put.isPending}
                          onChange={(ev) => change(e, { rating: [h.key, ev.target.value as Rating] })}
                        >
                          {RATINGS.map((r) => (
                            <option key={r} value={r} title={RATING_WORDS[r]}>
                              {r}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span title={RATING_WORDS[e.ratings[h.key] ?? 'NA']}>{e.ratings[h.key] ?? 'NA'}</span>
                      )}
                    </td>
                  ))}
                  <td>{e.diagnostic ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  Inconsistency (rank)
                </th>
                {v.hypotheses.map((h) => (
                  <td key={h.key} data-testid={`ach-score-${h.key}`} className={h.rank === 1 ? 'ach-best' : undefined}>
                    {h.inconsistency.toFixed(2)} ({h.rank})
                  </td>
                ))}
                <td />
              </tr>
            </tfoot>
          </table>
        </TableScroll>
      </section>
    </article>
  );
}

function GradeCell({
  e,
  what,
  editable,
  onChange,
}: {
  e: Evidence;
  what: 'credibility' | 'relevance';
  editable: boolean;
  onChange: (g: Grade) => void;
}): ReactNode {
  if (!editable) return <>{e[what]}</>;
  return (
    <select aria-label={`${e.title}: ${what}`} value={e[what]} onChange={(ev) => onChange(ev.target.value as Grade)}>
      {GRADES.map((g) => (
        <option key={g}>{g}</option>
      ))}
    </select>
  );
}
