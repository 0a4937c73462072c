import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import type { PeerViewT } from '../../../src/contexts/federation/peer.schema.ts';
import { ErrorState, FormError, Loading } from '../ui/states.tsx';

/** The peer nodes this node pulls from, their state, and adding or removing one (operators only). */
export function PeersPanel(): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const peers = useQuery({
    queryKey: ['peers'],
    queryFn: ({ signal }) => api.get<{ items: PeerViewT[] }>('/api/v1/peers', signal),
    refetchInterval: 5000,
  });
  const [form, setForm] = useState({ name: '', url: '', user: '', token: '', authors: '' });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const add = useMutation({
    mutationFn: () => {
      const authors = form.authors
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      return api.post<PeerViewT>('/api/v1/peers', {
        name: form.name.trim(),
        url: form.url.trim(),
        user: form.user.trim(),
        token: form.token.trim(),
        ...(authors.length > 0 ? { authors } : {}),
      });
    },
    onSuccess: () => {
      setForm({ name: '', url: '', user: '', token: '', authors: '' });
      void qc.invalidateQueries({ queryKey: ['peers'] });
    },
  });
  const remove = useMutation({
    mutationFn: (p: PeerViewT) => api.delete<undefined>(`/api/v1/peers/${encodeURIComponent(p.id)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['peers'] }),
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    add.mutate();
  };

  return (
    <section className="pane solo admin" aria-label="Peers">
      <h2>Peer nodes</h2>
      <form className="inline-form" onSubmit={submit} aria-label="Add a peer">
        <label htmlFor="p-name">Name</label>
        <input id="p-name" required maxLength={100} value={form.name} onChange={set('name')} />
        <label htmlFor="p-url">TAXII API root</label>
        <input id="p-url" required placeholder="https://…/taxii2/alliance/" value={form.url} onChange={set('url')} />
        <label htmlFor="p-user">User there</label>
        <input id="p-user" required maxLength={100} value={form.user} onChange={set('user')} />
        <label htmlFor="p-token">Token</label>
        <input id="p-token" required type="password" autoComplete="off" value={form.token} onChange={set('token')} />
        <label htmlFor="p-authors">Authors (e.g. PL,LT; empty: any)</label>
        <input id="p-authors" value={form.authors} onChange={set('authors')} />
        <button type="submit" className="primary" disabled={add.isPending}>
          Add peer
        </button>
      </form>
      <FormError error={add.error ?? remove.error} />
      {peers.isPending && <Loading what="peers" />}
      {peers.isError && <ErrorState error={peers.error} what="Peers" onRetry={() => void peers.refetch()} />}
      {peers.isSuccess && (
        <table className="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>URL</th>
              <th>Authors</th>
              <th>State</th>
              <th>Lag</th>
              <th>Received</th>
              <th>Refused</th>
              <th>Last error</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {peers.data.items.map((p) => (
              <tr key={p.id} data-testid="peer-row">
                <td>{p.name}</td>
                <td>
                  <code>{p.url}</code>
                </td>
                <td>{p.authors ? p.authors.join(', ') : 'any'}</td>
                <td>{p.state}</td>
                <td>{p.lagMs === null ? '–' : `${p.lagMs} ms`}</td>
                <td>{p.received}</td>
                <td>{p.refused}</td>
                <td>{p.lastError ?? '–'}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="small danger"
                    disabled={remove.isPending}
                    onClick={() => {
                      if (window.confirm(`Stop pulling from ${p.name} and forget its token?`)) remove.mutate(p);
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
