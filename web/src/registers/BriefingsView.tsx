import { useState, type ReactNode } from 'react';
import { describeError } from '../api/client.ts';
import { useBriefingFetch, useBriefings, useCreateBriefing, useDeleteBriefing } from './api.ts';

const today = () => new Date().toISOString().slice(0, 10);
const weekAgo = () => new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);

/** Briefings: pick a period, generate, preview the HTML, download PDF or Markdown, delete. */
export default function BriefingsView(): ReactNode {
  const [from, setFrom] = useState(weekAgo);
  const [to, setTo] = useState(today);
  const [preview, setPreview] = useState<{ id: string; html: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const list = useBriefings();
  const create = useCreateBriefing();
  const remove = useDeleteBriefing();
  const fetchDoc = useBriefingFetch();

  const show = async (id: string) => {
    try {
      setPreview({ id, html: await (await fetchDoc(id, 'html')).text() });
    } catch (e) {
      setError(describeError(e));
    }
  };
  const download = async (id: string, format: 'pdf' | 'markdown') => {
    try {
      const blob = await (await fetchDoc(id, format)).blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${id}.${format === 'pdf' ? 'pdf' : 'md'}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(describeError(e));
    }
  };
  const generate = async () => {
    setError(undefined);
    try {
      const b = await create.mutateAsync({ from, to, format: 'markdown' });
      await show(b.id);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <section aria-label="Briefings" data-testid="briefings-view">
      <h1>Briefings</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void generate();
        }}
      >
        <label>
          From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Generating…' : 'Generate briefing'}
        </button>
      </form>
      {error && <p className="state state-error">{error}</p>}
      {list.error && <p className="state state-error">{describeError(list.error)}</p>}
      <table className="grid" data-testid="briefings-table">
        <thead>
          <tr>
            <th>Made</th>
            <th>Title</th>
            <th>Period</th>
            <th>TLP</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.data?.items.map((b) => (
            <tr key={b.id} data-briefing={b.id}>
              <td>{b.createdAt.slice(0, 16).replace('T', ' ')}</td>
              <td>{b.title}</td>
              <td>
                {b.from.slice(0, 10)} – {b.to.slice(0, 10)}
              </td>
              <td>
                {b.tlp.toUpperCase()}
                {b.audience.length > 0 ? ` (${b.audience.join(', ')})` : ''}
              </td>
              <td>
                <button type="button" onClick={() => void show(b.id)}>
                  Preview
                </button>{' '}
                <button type="button" onClick={() => void download(b.id, 'pdf')}>
                  Download PDF
                </button>{' '}
                <button type="button" onClick={() => void download(b.id, 'markdown')}>
                  Download Markdown
                </button>{' '}
                <button type="button" className="ghost" onClick={() => remove.mutate(b.id)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview && (
        <iframe
          title="Briefing preview"
          data-testid="briefing-preview"
          sandbox=""
          srcDoc={preview.html}
          style={{ width: '100%', height: '70vh', border: '1px solid #ccc', background: '#fff' }}
        />
      )}
    </section>
  );
}
