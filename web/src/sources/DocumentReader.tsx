import type { ReactNode } from 'react';
import { hrefOf, navigate } from '../app/router.ts';
import { useSession } from '../app/context.tsx';
import { formatWhen } from '../app/dates.ts';
import { DetailHead } from '../ui/DetailHead.tsx';
import { ErrorState, FormError, Loading } from '../ui/states.tsx';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { useDeleteDocument, useDocument, useDocumentLinks, useSignpostLinks, type DocumentViewT } from './api.ts';
import { SignpostLinker } from './SignpostLinker.tsx';
import { contextOf, describeGrade, isoDay, segmentsOf } from './logic.ts';

const KIND_ORDER = ['person', 'organisation', 'place'] as const;
const JOINED = {
  person: 'one person: a surname alone or a near-miss spelling joins the person named earlier',
  organisation: 'one organisation: its usual names and acronyms',
  place: 'one place: its usual names',
} as const;
const KIND_LABEL = { person: 'People', organisation: 'Organisations', place: 'Places' } as const;

/** One document: its text with the entities and claims marked, who said what, and what it links to. */
export function DocumentReader({ id }: { id: string }): ReactNode {
  const q = useDocument(id);
  const { me } = useSession();
  const del = useDeleteDocument();
  const signposts = useSignpostLinks(id);
  const links = signposts.data?.items ?? [];
  if (q.isPending) return <Loading what="document" />;
  if (q.isError) return <ErrorState error={q.error} what="Document" onRetry={() => void q.refetch()} />;
  const d = q.data;
  const nameOf = (entity: string | null): string =>
    d.entities.find((e) => e.id === entity)?.name ?? (entity === null ? 'no speaker found' : 'an entity');
  return (
    <article className="source-doc" data-testid="document">
      <DetailHead
        title={d.title ?? 'Untitled document'}
        meta={
          <>
            <abbr className="grade" title={describeGrade(d.grade)}>
              {d.grade}
            </abbr>{' '}
            · {describeGrade(d.grade).replace(/^\w+: /, '')}{' '}
            {d.publishedAt ? ` · published ${isoDay(d.publishedAt)}` : ''} · stored {formatWhen(d.createdAt)} by{' '}
            {d.author} · language {d.language}
            {d.url && (
              <>
                {' '}
                ·{' '}
                <a href={d.url} rel="noreferrer noopener" target="_blank">
                  original
                </a>
              </>
            )}
          </>
        }
      >
        <TlpBadge tlp={d.tlp} />
      </DetailHead>
      {d.audience.length > 0 && <p className="small muted">Audience: {d.audience.join(', ')}</p>}
      <HighlightedText d={d} />
      <p className="small muted legend-line">
        <span className="mention kind-person">person</span>{' '}
        <span className="mention kind-organisation">organisation</span>{' '}
        <span className="mention kind-place">place</span> <span className="claim">claim</span>: hover or focus a name to
        see the entity it was resolved to.
      </p>

      <section aria-labelledby="claims-h">
        <h3 id="claims-h">Claims ({d.claims.length})</h3>
        {d.claims.length === 0 ? (
          <p className="hint">No reported statement found.</p>
        ) : (
          <ul className="claims" data-testid="claims">
            {d.claims.map((c, k) => (
              <li key={k}>
                <span className="muted small">
                  This {d.grade} document attributes to{' '}
                  {c.speaker ? <a href={hrefOf('sources', c.speaker)}>{nameOf(c.speaker)}</a> : nameOf(null)}:
                </span>
                <blockquote>“{c.text}”</blockquote>
                <SignpostLinker doc={id} claim={c.start} links={links.filter((l) => l.claim === c.start)} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="entities-h">
        <h3 id="entities-h">Named in this document</h3>
        {KIND_ORDER.map((kind) => {
          const list = d.entities.filter((e) => e.kind === kind);
          if (list.length === 0) return null;
          return (
            <div key={kind}>
              <h4>
                {KIND_LABEL[kind]} ({list.length})
              </h4>
              <ul className="entities" data-testid={`entities-${kind}`}>
                {list.map((e) => (
                  <li key={e.id} data-entity={e.id}>
                    <a href={hrefOf('sources', e.id)}>{e.name}</a>
                    {e.aliases.length > 1 && (
                      <span className="small muted">
                        {' '}
                        · written here as {e.aliases.map((a) => `“${a}”`).join(', ')} ({JOINED[kind]})
                      </span>
                    )}
                    <ul className="mentions">
                      {e.mentions.slice(0, 5).map((m) => {
                        const c = contextOf(d.text, m, 40);
                        return (
                          <li key={m.start} className="small">
                            {c.before}
                            <strong>{c.match}</strong>
                            {c.after}
                          </li>
                        );
                      })}
                      {e.mentions.length > 5 && <li className="small muted">and {e.mentions.length - 5} more</li>}
                    </ul>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </section>

      <DocumentLinksPanel id={id} />

      {d.author === me.organisation.code && (
        <div className="actions">
          <button
            type="button"
            className="ghost"
            disabled={del.isPending}
            onClick={() => {
              if (window.confirm('Delete this document? What only it supported disappears with it.'))
                void del.mutateAsync(id).then(() => navigate('sources'));
            }}
          >
            Delete document
          </button>
          <FormError error={del.error} />
        </div>
      )}
    </article>
  );
}

function HighlightedText({ d }: { d: DocumentViewT }): ReactNode {
  const segs = segmentsOf(d.text, d.entities, d.claims);
  return (
    <div className="source-text prewrap" data-testid="document-text">
      {segs.map((s) => {
        let node: ReactNode = s.text;
        if (s.entity !== undefined) {
          const e = d.entities[s.entity]!;
          const also = e.aliases.filter((a) => a !== e.name);
          node = (
            <a
              className={`mention kind-${e.kind}`}
              href={hrefOf('sources', e.id)}
              title={`${e.name} (${e.kind})${also.length ? `, also written ${also.join(', ')}` : ''}; in a ${d.grade} document`}
            >
              {s.text}
            </a>
          );
        }
        if (s.claim !== undefined) node = <span className="claim">{node}</span>;
        return <span key={s.start}>{node}</span>;
      })}
    </div>
  );
}

function DocumentLinksPanel({ id }: { id: string }): ReactNode {
  const q = useDocumentLinks(id);
  return (
    <section aria-labelledby="links-h">
      <h3 id="links-h">Linked incidents and narratives</h3>
      {q.isPending && <Loading what="links" />}
      {q.isError && <ErrorState error={q.error} what="Links" />}
      {q.isSuccess && q.data.echoes.length === 0 && q.data.reports.length === 0 && (
        <p className="hint">No incident or narrative you may read matches this document.</p>
      )}
      {q.isSuccess && (
        <ul className="plain-list" data-testid="document-links">
          {q.data.reports.map((r) => (
            <li key={`r${r.incident}`}>
              Reports incident <a href={hrefOf('incidents', r.incident)}>{r.title}</a>
              <span className="small muted"> · {r.reasons.join('; ')}</span>
            </li>
          ))}
          {q.data.echoes.map((e) => (
            <li key={`e${e.incident}${e.claim}`}>
              The statement “{e.claim}” echoes the narrative “{e.narrative}” of{' '}
              <a href={hrefOf('incidents', e.incident)}>an incident</a>
              <span className="small muted"> · {Math.round(e.score * 100)} % similar</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
