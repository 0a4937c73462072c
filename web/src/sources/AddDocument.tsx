import { useState, type ReactNode } from 'react';
import { TLP_LEVELS, type Tlp } from '../../../src/kernel/access/tlp.ts';
import { useSession } from '../app/context.tsx';
import { explainReleasability } from '../incidents/releasability.ts';
import { FormError } from '../ui/states.tsx';
import { useAddDocument, useFetchDocument, useSources } from './api.ts';

/** Add a document by pasting its text or by its address (the server fetches it); its release and grade. */
export function AddDocument({ onAdded }: { onAdded: (id: string) => void }): ReactNode {
  const { me, members } = useSession();
  const [mode, setMode] = useState<'text' | 'url'>('text');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [source, setSource] = useState('');
  const [credibility, setCredibility] = useState('');
  const sources = useSources();
  const add = useAddDocument();
  const fetchDoc = useFetchDocument();
  const pending = add.isPending || fetchDoc.isPending;
  const release = explainReleasability({ tlp, audience: [], author: me.organisation.code, orgs: members });
  const submit = async (): Promise<void> => {
    const common = {
      tlp,
      ...(title.trim() ? { title: title.trim() } : {}),
      ...(source ? { source } : {}),
      ...(credibility ? { credibility: Number(credibility) } : {}),
    };
    const d =
      mode === 'text'
        ? await add.mutateAsync({ ...common, text })
        : await fetchDoc.mutateAsync({ ...common, url: url.trim() });
    setText('');
    setUrl('');
    setTitle('');
    onAdded(d.id);
  };
  return (
    <details className="add-document card">
      <summary>Add a document</summary>
      <form
        className="form compact"
        onSubmit={(e) => {
          e.preventDefault();
          void submit().catch(() => undefined);
        }}
      >
        <fieldset className="radio-row">
          <legend>From</legend>
          <label>
            <input type="radio" name="doc-mode" checked={mode === 'text'} onChange={() => setMode('text')} /> pasted
            text
          </label>
          <label>
            <input type="radio" name="doc-mode" checked={mode === 'url'} onChange={() => setMode('url')} /> a web
            address
          </label>
        </fieldset>
        <label>
          Title (optional)
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={500} />
        </label>
        {mode === 'text' ? (
          <label>
            Text
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={8} required />
          </label>
        ) : (
          <label>
            Address (http or https)
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://…" />
          </label>
        )}
        <div className="grid2">
          <label>
            Source (its reliability grades the document)
            <select value={source} onChange={(e) => setSource(e.target.value)}>
              <option value="">none (F: cannot be judged)</option>
              {sources.data?.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.reliability})
                </option>
              ))}
            </select>
          </label>
          <label>
            Information credibility
            <select value={credibility} onChange={(e) => setCredibility(e.target.value)}>
              <option value="">6: cannot be judged</option>
              <option value="1">1: confirmed by other sources</option>
              <option value="2">2: probably true</option>
              <option value="3">3: possibly true</option>
              <option value="4">4: doubtful</option>
              <option value="5">5: improbable</option>
            </select>
          </label>
        </div>
        <label>
          TLP
          <select value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
            {TLP_LEVELS.map((t) => (
              <option key={t} value={t}>
                {t.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <p className="hint">{release.summary}</p>
        <FormError error={mode === 'text' ? add.error : fetchDoc.error} />
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Reading…' : 'Add and extract'}
        </button>
      </form>
    </details>
  );
}
