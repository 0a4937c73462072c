import type { ReactNode } from 'react';
import { hrefOf } from '../app/router.ts';
import { formatWhen } from '../app/dates.ts';
import { DetailHead } from '../ui/DetailHead.tsx';
import { ErrorState, FormError, Loading } from '../ui/states.tsx';
import { useEntity, useSplit } from './api.ts';
import { describeEvidence, describeGrade, describeScore, isoDay } from './logic.ts';

/**
 * One entity as the reader sees it: every spelling and where it was seen, how the spellings were joined (score
 * and reasons in words), splitting a wrong join, claims by this speaker over time, documents.
 */
export function EntityPage({ id }: { id: string }): ReactNode {
  const q = useEntity(id);
  const split = useSplit();
  if (q.isPending) return <Loading what="entity" />;
  if (q.isError) return <ErrorState error={q.error} what="Entity" onRetry={() => void q.refetch()} />;
  const e = q.data;
  const titleOf = (doc: string): string => e.documents.find((d) => d.id === doc)?.title ?? 'untitled document';
  const canSplit = e.aliasesSeen.length > 1;
  return (
    <article className="source-entity" data-testid="entity">
      <DetailHead
        title={e.name}
        meta={`${e.kind} · ${e.aliases.length} spelling${e.aliases.length === 1 ? '' : 's'} · ${e.documents.length} document${e.documents.length === 1 ? '' : 's'}`}
      />
      <section aria-labelledby="aliases-h">
        <h3 id="aliases-h">Spellings and where each was seen</h3>
        <ul className="aliases" data-testid="aliases">
          {e.aliasesSeen.map((a) => (
            <li key={a.alias} data-alias={a.alias}>
              <strong>{a.alias}</strong>{' '}
              <span className="small muted">
                in{' '}
                {a.documents.map((doc, k) => (
                  <span key={doc}>
                    {k > 0 && ', '}
                    <a href={hrefOf('sources', doc)}>{titleOf(doc)}</a>
                  </span>
                ))}
              </span>
              {canSplit && (
                <button
                  type="button"
                  className="small ghost"
                  disabled={split.isPending}
                  aria-label={`Split off “${a.alias}”`}
                  title="It names someone else: make it its own entity for your organisation"
                  onClick={() => split.mutate({ id, alias: a.alias })}
                >
                  Split off
                </button>
              )}
            </li>
          ))}
        </ul>
        <FormError error={split.error} />
        {canSplit && (
          <p className="hint">
            Split off a spelling that names someone else: it becomes its own entity for your organisation only.
          </p>
        )}
      </section>

      <section aria-labelledby="joins-h">
        <h3 id="joins-h">Why these spellings are one {e.kind}</h3>
        {e.sameAs.length === 0 ? (
          <p className="hint">
            {e.aliases.length > 1
              ? 'Joined within one document: a surname alone or a near-miss spelling of someone named earlier in the same text joins that person.'
              : 'Seen under one spelling only.'}
          </p>
        ) : (
          <ul className="joins" data-testid="joins">
            {e.sameAs.map((l, k) => (
              <li key={k}>
                <div>
                  {l.status === 'open' ? 'Proposed' : 'Joined automatically'} from{' '}
                  <a href={hrefOf('sources', l.document)}>{titleOf(l.document)}</a>: {describeScore(l.score)}
                </div>
                {l.evidence.length > 0 && (
                  <ul className="reasons">
                    {l.evidence.map((r) => (
                      <li key={r}>{describeEvidence(r)}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="eclaims-h">
        <h3 id="eclaims-h">
          Claims by {e.name} ({e.claims.length})
        </h3>
        {e.claims.length === 0 ? (
          <p className="hint">No statement attributed to this {e.kind} in documents you may read.</p>
        ) : (
          <ol className="claims timeline-list" data-testid="entity-claims">
            {e.claims.map((c, k) => (
              <li key={k}>
                <span className="small muted">
                  {isoDay(c.at)} · <a href={hrefOf('sources', c.document)}>{titleOf(c.document)}</a> attributes:
                </span>
                <blockquote>“{c.text}”</blockquote>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="edocs-h">
        <h3 id="edocs-h">Documents</h3>
        <ul className="plain-list">
          {e.documents.map((d) => (
            <li key={d.id}>
              <a href={hrefOf('sources', d.id)}>{d.title ?? 'Untitled document'}</a>{' '}
              <span className="small muted">
                <abbr title={describeGrade(d.grade)}>{d.grade}</abbr> · {isoDay(d.publishedAt)}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {e.edits.length > 0 && (
        <section aria-labelledby="edits-h">
          <h3 id="edits-h">Your organisation's decisions</h3>
          <ul className="plain-list small" data-testid="edits">
            {e.edits.map((x, k) => (
              <li key={k}>
                {formatWhen(x.at)} · {x.by}{' '}
                {x.op === 'merge'
                  ? 'merged another entity into this one'
                  : x.op === 'split'
                    ? `split off “${x.alias ?? ''}”`
                    : 'rejected a proposed match'}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
