import { useState, type ReactNode } from 'react';
import { TLP_LEVELS, type Tlp } from '../../../src/kernel/access/tlp.ts';
import { RELIABILITY_TEXT, type Reliability } from '../../../src/contexts/sources/sources.schema.ts';
import { formatWhen } from '../app/dates.ts';
import { Empty, ErrorState, FormError, Loading } from '../ui/states.tsx';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { useAddSource, useSources } from './api.ts';

const RELIABILITIES = Object.keys(RELIABILITY_TEXT) as Reliability[];

/** Your organisation's sources: feeds with their schedule and last error, and adding one (a feed or a named source). */
export function FeedsPanel(): ReactNode {
  const q = useSources();
  const add = useAddSource();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'feed' | 'manual'>('feed');
  const [url, setUrl] = useState('');
  const [reliability, setReliability] = useState<Reliability>('C');
  const [minutes, setMinutes] = useState('30');
  const [tlp, setTlp] = useState<Tlp>('green');
  return (
    <section aria-labelledby="feeds-h" data-testid="feeds">
      <h2 id="feeds-h">Sources and feeds</h2>
      <p className="hint">
        Visible to your organisation only. A feed (RSS, Atom or JSON Feed) is polled on its schedule; each item is taken
        once and becomes a document with the feed's grade and release.
      </p>
      {q.isPending && <Loading what="sources" />}
      {q.isError && <ErrorState error={q.error} what="Sources" onRetry={() => void q.refetch()} />}
      {q.isSuccess && q.data.items.length === 0 && <Empty>No source yet.</Empty>}
      {q.isSuccess && q.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Reliability</th>
                <th scope="col">Status</th>
                <th scope="col">Release</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.name}
                    {s.url && <div className="small muted break">{s.url}</div>}
                  </td>
                  <td>
                    {s.reliability}: {RELIABILITY_TEXT[s.reliability]}
                  </td>
                  <td>
                    {s.kind !== 'feed' ? (
                      'not polled'
                    ) : s.lastError ? (
                      <span className="tone-bad">failed: {s.lastError}</span>
                    ) : s.lastPolledAt ? (
                      `polled ${formatWhen(s.lastPolledAt)}`
                    ) : (
                      'not polled yet'
                    )}
                    {s.nextPollAt && <div className="small muted">next {formatWhen(s.nextPollAt)}</div>}
                  </td>
                  <td>
                    <TlpBadge tlp={s.tlp} />
                    {s.audience.length > 0 && <span className="small"> {s.audience.join(', ')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        className="form compact card"
        aria-labelledby="add-source-h"
        onSubmit={(e) => {
          e.preventDefault();
          void add
            .mutateAsync({
              name: name.trim(),
              kind,
              reliability,
              tlp,
              ...(kind === 'feed' ? { url: url.trim(), pollSeconds: Math.max(1, Number(minutes)) * 60 } : {}),
            })
            .then(() => {
              setName('');
              setUrl('');
            })
            .catch(() => undefined);
        }}
      >
        <h3 id="add-source-h">Add a source</h3>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as 'feed' | 'manual')}>
            <option value="feed">a feed, polled</option>
            <option value="manual">a named source for pasted documents</option>
          </select>
        </label>
        {kind === 'feed' && (
          <div className="grid2">
            <label>
              Feed address
              <input
                type="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                required
                placeholder="https://…/rss"
              />
            </label>
            <label>
              Poll every (minutes)
              <input type="number" min={1} max={10080} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
            </label>
          </div>
        )}
        <div className="grid2">
          <label>
            Reliability
            <select value={reliability} onChange={(e) => setReliability(e.target.value as Reliability)}>
              {RELIABILITIES.map((r) => (
                <option key={r} value={r}>
                  {r}: {RELIABILITY_TEXT[r]}
                </option>
              ))}
            </select>
          </label>
          <label>
            TLP of its documents
            <select value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
              {TLP_LEVELS.map((t) => (
                <option key={t} value={t}>
                  {t.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
        </div>
        <FormError error={add.error} />
        <button type="submit" className="primary" disabled={add.isPending}>
          Add source
        </button>
      </form>
    </section>
  );
}
