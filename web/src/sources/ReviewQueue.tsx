import type { ReactNode } from 'react';
import { hrefOf } from '../app/router.ts';
import { Empty, ErrorState, FormError, Loading } from '../ui/states.tsx';
import { useMerge, useReject, useReview } from './api.ts';
import { describeEvidence, describeScore } from './logic.ts';

/**
 * Matches the resolver was unsure of (score from 60 % to 85 %, or two close candidates): accept (the two are
 * one, merged for your organisation, the earlier entity kept) or reject (they stay apart). Others' queues are
 * their own.
 */
export function ReviewQueue(): ReactNode {
  const q = useReview();
  const merge = useMerge();
  const reject = useReject();
  const busy = merge.isPending || reject.isPending;
  return (
    <section aria-labelledby="review-h" data-testid="review">
      <h2 id="review-h">Review queue</h2>
      <p className="hint">
        Each pair below might be one person, organisation or place. Your answer applies to your organisation's view.
      </p>
      <FormError error={merge.error ?? reject.error} />
      {q.isPending && <Loading what="review queue" />}
      {q.isError && <ErrorState error={q.error} what="Review queue" onRetry={() => void q.refetch()} />}
      {q.isSuccess && q.data.items.length === 0 && <Empty>Nothing to review: every match was clear.</Empty>}
      {q.isSuccess && q.data.items.length > 0 && (
        <ul className="review-list">
          {q.data.items.map((r) => (
            <li key={`${r.entity} ${r.other}`} className="card" data-review={r.entity}>
              <h3>
                Is <a href={hrefOf('sources', r.entity)}>{r.entityName}</a> the same as{' '}
                <a href={hrefOf('sources', r.other)}>{r.otherName}</a>?
              </h3>
              <p>
                {describeScore(r.score)}, seen in <a href={hrefOf('sources', r.document)}>this document</a>.
              </p>
              {r.evidence.length > 0 && (
                <>
                  <p className="small muted">Because:</p>
                  <ul className="reasons">
                    {r.evidence.map((e) => (
                      <li key={e}>{describeEvidence(e)}</li>
                    ))}
                  </ul>
                </>
              )}
              <div className="actions">
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() => merge.mutate({ id: r.other, other: r.entity })}
                >
                  Accept: the same
                </button>
                <button type="button" disabled={busy} onClick={() => reject.mutate({ id: r.entity, other: r.other })}>
                  Reject: different
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
