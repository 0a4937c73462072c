import { useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { hrefOf } from '../app/router.ts';
import type { Assessment, Correlation, Incident } from '../api/types.ts';
import { isTlp } from '../../../src/kernel/access/tlp.ts';
import { colourOfCategory } from '../app/theme.ts';
import { countryAt } from '../map/geo.ts';
import { AssessmentResult } from '../treaty/AssessmentPanel.tsx';
import { natureOf } from '../treaty/nature.ts';
import { DetailHead } from '../ui/DetailHead.tsx';
import { pivotKey } from '../search/api.ts';
import { ErrorState, Loading } from '../ui/states.tsx';
import { ResponsesPanel } from '../campaigns/ResponsesPanel.tsx';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { changedFields, useCorrelations, useIncident, useIncidentHistory } from './api.ts';
import { explainReleasability } from './releasability.ts';
import { formatWhen } from '../app/dates.ts';
import { IncidentActions } from './IncidentActions.tsx';

/** Categories whose treaty assessment opens at once; for the others (cyber, influence) it is one click away. */
const PHYSICAL = new Set(['sabotage', 'airspace-violation', 'covert-support', 'migration-pressure']);

export function IncidentDetail({ id }: { id: string }): ReactNode {
  const q = useIncident(id);
  if (q.isPending) return <Loading what="the incident" />;
  if (q.isError) return <ErrorState error={q.error} what="Incident" onRetry={() => void q.refetch()} />;
  return <IncidentBody i={q.data} />;
}

function IncidentBody({ i }: { i: Incident }): ReactNode {
  const { members } = useSession();
  const author = i.author;
  const observables = i.observables.filter((o) => o.type !== 'narrative');
  const narratives = [...i.narratives, ...i.observables.filter((o) => o.type === 'narrative').map((o) => o.value)];
  const where = i.location ? countryAt(i.location) : undefined;
  const readers = isTlp(i.tlp)
    ? explainReleasability({ tlp: i.tlp, audience: i.audience, author, orgs: members })
    : undefined;
  return (
    <article className="incident" data-testid="incident-detail">
      <DetailHead
        title={i.title}
        meta={
          <>
            <span className="cat" style={{ color: colourOfCategory(i.category) }}>
              ● {i.category}
            </span>{' '}
            · occurred {formatWhen(i.occurredAt)}
            {` · reported by ${author} on ${formatWhen(i.created)}`}
          </>
        }
      >
        <TlpBadge tlp={i.tlp} />
      </DetailHead>
      <IncidentActions i={i} />
      <div className="detail-grid">
        <section>
          <p className="prewrap">{i.description}</p>
          <table className="kv small">
            <tbody>
              <tr>
                <th>Affected</th>
                <td>{i.affectedMembers.join(', ') || '—'}</td>
              </tr>
              <tr>
                <th>Place</th>
                <td>
                  {i.location
                    ? `${where?.name ?? 'at sea'} (${i.location.lat.toFixed(3)}, ${i.location.lon.toFixed(3)})`
                    : '—'}
                </td>
              </tr>
              <tr>
                <th>Shared with</th>
                <td>
                  {readers
                    ? readers.summary
                        .replace('your organisation', 'the author')
                        .replace(' Name an audience to share it.', '')
                    : i.audience.join(', ')}
                </td>
              </tr>
              <tr>
                <th>Id</th>
                <td>
                  <code>{i.id}</code>
                </td>
              </tr>
            </tbody>
          </table>
          {observables.length > 0 && (
            <>
              <h3>Observables</h3>
              <table className="grid small">
                <tbody>
                  {observables.map((o, k) => (
                    <tr key={k}>
                      <td className="muted">{o.type}</td>
                      <td>
                        <a
                          href={hrefOf('pivot', pivotKey(o.type, o.value))}
                          title="Every incident with this value"
                          data-testid="pivot-link"
                        >
                          <code>{o.value}</code>
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {narratives.length > 0 && (
            <>
              <h3>Narratives</h3>
              <ul className="narratives">
                {narratives.map((n, k) => (
                  <li key={k}>“{n}”</li>
                ))}
              </ul>
            </>
          )}
          {i.actor && (
            <p className="small">
              Attributed to {i.actor.kind} <strong>{i.actor.name}</strong>
              {i.reliability ? ` · source reliability ${i.reliability}` : ''}
              {i.credibility ? ` · credibility ${i.credibility}` : ''}
            </p>
          )}
          {i.ttps.length > 0 && (
            <>
              <h3>TTPs</h3>
              <p className="small">
                {i.ttps.map((t) => (
                  <code key={t} className="chip">
                    {t}
                  </code>
                ))}
              </p>
            </>
          )}
          <IncidentAssessment i={i} />
        </section>
        <section>
          <Correlations id={i.id} />
          <History i={i} />
        </section>
      </div>
      <ResponsesPanel target={i.id} suggestedParticipants={i.affectedMembers} />
    </article>
  );
}

function Correlations({ id }: { id: string }): ReactNode {
  const q = useCorrelations(id);
  return (
    <div className="card" data-testid="correlations">
      <h3>Correlations</h3>
      {q.isPending && <Loading what="correlations" />}
      {q.isError && <ErrorState error={q.error} what="Correlations" onRetry={() => void q.refetch()} />}
      {q.isSuccess && q.data.items.length === 0 && (
        <p className="hint">No related incidents found (yet); links appear here live as correlation finds them.</p>
      )}
      {q.isSuccess && q.data.items.length > 0 && (
        <p className="muted small" data-testid="score-explained">
          “% alike” combines the reasons listed under each link: every reason is evidence with its own weight (a shared
          indicator or a similar narrative weighs most, then the same actor, shared techniques, and place and time
          least), and the chance that all of them are coincidence is what the percentage leaves.
        </p>
      )}
      {q.isSuccess && q.data.items.length > 0 && (
        <ol className="correlations">
          {[...q.data.items]
            .sort((a, b) => b.score - a.score)
            .map((c) => (
              <li key={c.id}>
                <div className="row-line">
                  <CorrelatedTitle c={c} />
                  <span className="score" title="How alike the two incidents are, from the reasons listed">
                    {Math.round(c.score * 100)}% alike
                  </span>
                </div>
                <ul className="reasons-list small">
                  {c.reasons.map((r, k) => (
                    <li key={k}>{r}</li>
                  ))}
                </ul>
              </li>
            ))}
        </ol>
      )}
    </div>
  );
}

/** The other incident of a link, by title when this user may read it (the link says it may). */
function CorrelatedTitle({ c }: { c: Correlation }): ReactNode {
  const q = useIncident(c.id);
  return <a href={hrefOf('incidents', c.id)}>{q.data ? q.data.title : c.id}</a>;
}

function History({ i }: { i: Incident }): ReactNode {
  const q = useIncidentHistory(i.id);
  const versions = q.data?.items ?? [];
  const sorted = [...versions].sort((a, b) => a.modified.localeCompare(b.modified));
  return (
    <div className="card" data-testid="history">
      <h3>History</h3>
      {q.isPending && <Loading what="history" />}
      {q.isError && <ErrorState error={q.error} what="History" onRetry={() => void q.refetch()} />}
      {q.isSuccess && (
        <ol className="history">
          {sorted.map((v, k) => {
            const prev = k > 0 ? sorted[k - 1] : undefined;
            const what = prev ? `changed ${changedFields(prev, v).join(', ') || 'nothing visible'}` : 'reported';
            return (
              <li key={v.modified}>
                <time>{formatWhen(v.modified)}</time> {what} by {v.author}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

function IncidentAssessment({ i }: { i: Incident }): ReactNode {
  const { api } = useSession();
  const embedded = (i as Incident & { assessment?: Assessment }).assessment;
  const [party, setParty] = useState(i.affectedMembers[0]);
  const [open, setOpen] = useState(PHYSICAL.has(i.category));
  const q = useQuery({
    queryKey: ['incident', i.id, 'assessment', party],
    placeholderData: keepPreviousData,
    enabled: open && !embedded && !!i.location && !!party,
    retry: false,
    staleTime: Infinity,
    queryFn: () =>
      api.post<Assessment>('/api/v1/treaty/assessments', {
        occurredAt: i.occurredAt,
        location: i.location,
        target: { party, kind: 'territory' },
        nature: natureOf(i.category),
      }),
  });
  return (
    <details
      className="card treaty-block"
      data-testid="incident-assessment"
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>
        <span className="summary-title">Treaty assessment</span>{' '}
        <span className="muted small">{open ? '' : '(Articles 4 and 5: show)'}</span>
      </summary>
      {!open ? null : embedded ? (
        <AssessmentResult a={embedded} />
      ) : !i.location || !party ? (
        <p className="hint">Needs a place and an affected member.</p>
      ) : q.isPending ? (
        <Loading what="the assessment" />
      ) : q.isError ? (
        <ErrorState error={q.error} what="Treaty assessment" onRetry={() => void q.refetch()} />
      ) : (
        <>
          <p className="muted small">
            As an attack on the territory of{' '}
            {i.affectedMembers.length > 1 ? (
              <select
                aria-label="Affected member assessed"
                value={party}
                onChange={(e) => setParty(e.target.value)}
                className="inline-select"
              >
                {i.affectedMembers.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            ) : (
              party
            )}{' '}
            ({natureOf(i.category)}), where and when it occurred:
          </p>
          <AssessmentResult a={q.data} />
        </>
      )}
    </details>
  );
}
