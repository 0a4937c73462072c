import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Api, ApiError, describeError } from '../api/client.ts';
import type { Me, Member } from '../api/types.ts';
import { clearSession, loadToken, normaliseToken, saveToken } from '../auth/session.ts';
import { SignIn } from '../auth/SignIn.tsx';
import { SessionContext, type Session } from './context.tsx';
import { Shell } from './Shell.tsx';
import { StreamProvider } from '../stream/StreamProvider.tsx';

const REJECTED =
  'This token was not accepted: it is unknown, revoked or expired. Ask your administrator for a new one.';
const EXPIRED = 'Your session ended: the token was revoked or has expired. Sign in with a new token.';

/** Signs in by asking the server who the token belongs to; a 401 anywhere later signs out. */
export function Root(): ReactNode {
  const qc = useQueryClient();
  const [token, setToken] = useState<string | null>(() => loadToken());
  const [message, setMessage] = useState<string | null>(null);

  const signOut = useCallback(
    (reason?: string) => {
      clearSession();
      qc.clear();
      setToken(null);
      setMessage(reason ?? null);
    },
    [qc],
  );

  const api = useMemo(() => new Api({ token: () => token, onUnauthorized: () => signOut(EXPIRED) }), [token, signOut]);

  const me = useQuery({
    queryKey: ['me', token],
    enabled: token !== null,
    retry: (n, e) => !(e instanceof ApiError && e.status < 500 && e.status > 0) && n < 2,
    queryFn: ({ signal }) => new Api({ token: () => token }).get<Me>('/api/v1/me', signal),
    staleTime: 60_000,
  });
  const members = useQuery({
    queryKey: ['members', token],
    enabled: me.isSuccess,
    queryFn: ({ signal }) => api.get<{ items: Member[] }>('/api/v1/members', signal),
    staleTime: 3600_000,
  });

  // a rejected token is not kept: reloading the tab shows the sign-in form, not a loop
  const rejected = me.isError && me.error instanceof ApiError && me.error.status === 401;
  useEffect(() => {
    if (rejected) clearSession();
  }, [rejected]);

  const submit = (raw: string): void => {
    const t = normaliseToken(raw);
    saveToken(t);
    setMessage(null);
    setToken(t);
  };

  if (token === null) return <SignIn onSubmit={submit} message={message} busy={false} />;
  if (me.isError) {
    const err = me.error;
    const msg = err instanceof ApiError && err.status === 401 ? REJECTED : `Sign-in failed: ${describeError(err)}`;
    return (
      <SignIn
        onSubmit={(t) => (normaliseToken(t) === token ? void me.refetch() : submit(t))}
        message={msg}
        busy={me.isFetching}
      />
    );
  }
  if (!me.data || !members.data) {
    if (members.isError)
      return (
        <SignIn
          onSubmit={submit}
          message={`Could not load the members: ${describeError(members.error)}`}
          busy={false}
        />
      );
    return <SignIn onSubmit={submit} message={null} busy />;
  }
  const session: Session = {
    api,
    me: me.data,
    members: members.data.items,
    orgs: new Map(members.data.items.map((m) => [m.code, m])),
    signOut,
  };
  return (
    <SessionContext.Provider value={session}>
      <StreamProvider token={token} onUnauthorized={() => signOut(EXPIRED)}>
        <Shell />
      </StreamProvider>
    </SessionContext.Provider>
  );
}
