import { useState, type ReactNode } from 'react';
import { hrefOf, navigate } from '../app/router.ts';
import { useSession } from '../app/context.tsx';
import { Empty, ErrorState, FormError, Loading } from '../ui/states.tsx';
import { useDocuments, useEntitySearch, useReview } from './api.ts';
import { AddDocument } from './AddDocument.tsx';
import { DocumentReader } from './DocumentReader.tsx';
import { EntityPage } from './EntityPage.tsx';
import { FeedsPanel } from './FeedsPanel.tsx';
import { ReviewQueue } from './ReviewQueue.tsx';
import { isoDay, kindOfId } from './logic.ts';
import './sources.css';

/**
 * The Sources tab (`#/sources`, `#/sources/<document or entity id>`, `#/sources/review`, `#/sources/feeds`):
 * documents on the left (add by text, URL or feed; find an entity), the open document, entity, review queue
 * or feeds on the right. Everything shown comes through the reader's releasability on the server.
 */
export default function SourcesView({ id }: { id: string | undefined }): ReactNode {
  const kind = kindOfId(id);
  return (
    <div className={`split sources${id ? ' has-selection' : ''}`}>
      <section className="pane list-pane wide-list" aria-label="Documents and entities">
        <div className="pane-head">
          <h2>Open sources</h2>
        </div>
        <SourcesNav current={kind} />
        <AddDocument onAdded={(doc) => navigate('sources', doc)} />
        <EntityFinder />
        <DocumentList selected={kind === 'document' ? id : undefined} />
      </section>
      <section className="pane detail-pane" aria-label="Source detail" data-testid="sources-detail">
        {id && (
          <a className="back-to-list" href={hrefOf('sources')}>
            ← Documents
          </a>
        )}
        {kind === 'document' && <DocumentReader key={id} id={id!} />}
        {kind === 'entity' && <EntityPage key={id} id={id!} />}
        {kind === 'review' && <ReviewQueue />}
        {kind === 'feeds' && <FeedsPanel />}
        {kind === 'list' && (
          <Empty>
            Open a document to read it with the people, organisations and places it names and the claims it reports; the
            review queue holds the spellings the resolver was unsure of.
          </Empty>
        )}
      </section>
    </div>
  );
}

function SourcesNav({ current }: { current: string }): ReactNode {
  const review = useReview();
  const n = review.data?.items.length;
  const link = (to: string | undefined, label: string, active: boolean): ReactNode => (
    <a
      className={`button small${active ? ' primary' : ''}`}
      href={hrefOf('sources', to)}
      aria-current={active ? 'page' : undefined}
    >
      {label}
    </a>
  );
  return (
    <nav className="sources-nav" aria-label="Sources sections">
      {link(undefined, 'Documents', current === 'list' || current === 'document')}
      {link('review', `Review queue${n === undefined ? '' : ` (${n})`}`, current === 'review')}
      {link('feeds', 'Feeds', current === 'feeds')}
    </nav>
  );
}

function EntityFinder(): ReactNode {
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  return (
    <div className="entity-finder">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(q.trim());
        }}
      >
        <label htmlFor="entity-q">Find a person, organisation or place</label>
        <div className="inline-form">
          <input
            id="entity-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="any spelling"
          />
          <button type="submit">Find</button>
        </div>
      </form>
      {asked && <EntityResults q={asked} />}
    </div>
  );
}

function EntityResults({ q }: { q: string }): ReactNode {
  const r = useEntitySearch(q);
  if (r.isPending) return <Loading what="entities" />;
  if (r.isError) return <FormError error={r.error} />;
  if (r.data.items.length === 0) return <p className="hint">Nothing you may read is named “{q}”.</p>;
  return (
    <ul className="plain-list" aria-label={`Entities named ${q}`}>
      {r.data.items.map((e) => (
        <li key={e.id}>
          <a href={hrefOf('sources', e.id)}>{e.name}</a> <span className="muted small">{e.kind}</span>
          {e.aliases.length > 1 && (
            <div className="small muted">also {e.aliases.filter((a) => a !== e.name).join(' · ')}</div>
          )}
        </li>
      ))}
    </ul>
  );
}

function DocumentList({ selected }: { selected: string | undefined }): ReactNode {
  const q = useDocuments();
  const { me } = useSession();
  return (
    <div className="doc-list">
      <h3>Documents</h3>
      {q.isPending && <Loading what="documents" />}
      {q.isError && <ErrorState error={q.error} what="Documents" onRetry={() => void q.refetch()} />}
      {q.isSuccess && q.data.items.length === 0 && (
        <Empty>No document you may read yet: add a text, a page by its address or a feed.</Empty>
      )}
      {q.isSuccess && q.data.items.length > 0 && (
        <ul className="plain-list" aria-label="Documents" data-testid="documents">
          {q.data.items.map((d) => (
            <li key={d.id} className={d.id === selected ? 'selected' : undefined}>
              <a href={hrefOf('sources', d.id)} aria-current={d.id === selected ? 'true' : undefined}>
                {d.title ?? 'Untitled document'}
              </a>
              <div className="small muted">
                <span className="grade" title="Admiralty code: source reliability A–F, information credibility 1–6">
                  {d.grade}
                </span>{' '}
                · {isoDay(d.publishedAt ?? d.createdAt)} · {d.language} ·{' '}
                {d.author === me.organisation.code ? 'yours' : d.author}
                {d.source ? ' · from a source' : ''}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
