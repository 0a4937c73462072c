import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import type { AdminUser } from '../api/types.ts';
import { ErrorState, FormError, Loading } from '../ui/states.tsx';
import { formatWhen } from '../app/dates.ts';

/** Users and tokens of the admin's own organisation. A new token is shown once, here only. */
export function AdminPanel(): ReactNode {
  const { api, me } = useSession();
  const qc = useQueryClient();
  const users = useQuery({
    queryKey: ['admin-users'],
    queryFn: ({ signal }) => api.get<{ items: AdminUser[] }>('/api/v1/admin/users', signal),
  });
  const [name, setName] = useState('');
  const [role, setRole] = useState<'analyst' | 'admin'>('analyst');
  const [shown, setShown] = useState<{ who: string; token: string } | null>(null);

  const create = useMutation({
    mutationFn: () => api.post<{ user: AdminUser; token: string }>('/api/v1/admin/users', { name: name.trim(), role }),
    onSuccess: (r) => {
      setShown({ who: r.user.name, token: r.token });
      setName('');
      void qc.invalidateQueries({ queryKey: ['admin-users'] });
    },
  });
  const issue = useMutation({
    mutationFn: (u: AdminUser) =>
      api
        .post<{ token: string }>(`/api/v1/admin/users/${encodeURIComponent(u.id)}/tokens`)
        .then((r) => ({ who: u.name, token: r.token })),
    onSuccess: (r) => setShown(r),
  });
  const revoke = useMutation({
    mutationFn: (u: AdminUser) => api.delete<undefined>(`/api/v1/admin/users/${encodeURIComponent(u.id)}/tokens`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin-users'] }),
  });

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <section className="pane solo admin" aria-label="Administration">
      <h2>
        Users of {me.organisation.name} ({me.organisation.code})
      </h2>
      {shown && (
        <div className="token-once" role="alert" data-testid="new-token">
          <strong>New token for {shown.who}</strong> (shown once; hand it over securely):
          <code className="token">{shown.token}</code>
          <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(shown.token)}>
            Copy
          </button>
          <button type="button" className="small ghost" onClick={() => setShown(null)}>
            Done
          </button>
        </div>
      )}
      <form className="inline-form" onSubmit={submit} aria-label="Add a user">
        <label htmlFor="u-name">Name</label>
        <input id="u-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="u-role">Role</label>
        <select
          id="u-role"
          value={role}
          onChange={(e) => setRole(e.target.value as 'analyst' | 'admin')}
          aria-describedby="u-role-note"
        >
          <option value="analyst">analyst</option>
          <option value="admin">admin</option>
        </select>
        <span id="u-role-note" className="sr-only">
          Operators (who run the node: metrics, peers) are created on the node with bulwark user add --role operator.
        </span>
        <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
          Add user
        </button>
      </form>
      <FormError error={create.error ?? issue.error ?? revoke.error} />
      {users.isPending && <Loading what="users" />}
      {users.isError && <ErrorState error={users.error} what="Users" onRetry={() => void users.refetch()} />}
      {users.isSuccess && (
        <table className="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Created</th>
              <th>State</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>{formatWhen(u.createdAt, undefined, 'date')}</td>
                <td>{u.disabled ? 'disabled' : 'active'}</td>
                <td className="row-actions">
                  {u.role !== 'operator' && (
                    <button type="button" className="small" onClick={() => issue.mutate(u)} disabled={issue.isPending}>
                      New token
                    </button>
                  )}
                  <button
                    type="button"
                    className="small danger"
                    disabled={revoke.isPending}
                    onClick={() => {
                      if (window.confirm(`Revoke every token of ${u.name}? They are signed out at once.`))
                        revoke.mutate(u);
                    }}
                  >
                    Revoke tokens
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
