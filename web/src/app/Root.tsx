import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Api, ApiError, describeError } from '../api/client.ts';
import type { Me, Member } from '../api/types.ts';
import {
  clearSession,
  closeSession,
  currentSession,
  normaliseToken,
  openSession,
  announce,
  onOtherTabs,
  type ConsoleSession,
} from '../auth/session.ts';
import { SignIn } from '../auth/SignIn.tsx';
import { SessionContext, type Session } from './context.tsx';
import { Shell } from './Shell.tsx';
import { StreamProvider } from '../stream/StreamProvider.tsx';

const REJECTED =
  'This token was not accepted: it is unknown, revoked or expired. Ask your administrator for a new one.';
const EXPIRED = 'Your session ended: you signed out elsewhere, or the token was revoked or has expired. Sign in again.';
const ELSEWHERE = 'You signed out in another tab.';
const SESSION_KEY = ['console-session'] as const;

/**
 * Signs in by exchanging the token for a session cookie shared by every tab (a new tab or a shared link
 * finds it and needs no token); a 401 anywhere later, or a sign-out in another tab, signs this one out.
 */
export function Root(): ReactNode {
  const qc = useQueryClient();
  // whether this browser already holds a session (another tab signed in): asked once, then kept in step
  const held = useQuery({
    queryKey: SESSION_KEY,
    queryFn: () => currentSession(),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
  const csrf = held.data?.csrfToken ?? null;
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Forgets everything of the previous session (its data too) and shows `s` (or the sign-in form). */
  const become = useCallback(
    (s: ConsoleSession | null, reason?: string) => {
      clearSession();
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      qc.setQueryData(SESSION_KEY, s);
      setMessage(reason ?? null);
    },
    [qc],
  );

  useEffect(
    () =>
      onOtherTabs((what) => {
        if (what === 'out') return become(null, ELSEWHERE);
        currentSession().then(
          (s) => {
            if (s?.csrfToken !== qc.getQueryData<ConsoleSession | null>(SESSION_KEY)?.csrfToken) become(s);
          },
          () => undefined,
        );
      }),
    [become, qc],
  );

  const signOut = useCallback(
    (reason?: string) => {
      if (csrf) void closeSession(csrf);
      announce('out');
      become(null, reason);
    },
    [become, csrf],
  );

  const api = useMemo(() => new Api({ csrf: () => csrf, onUnauthorized: () => signOut(EXPIRED) }), [csrf, signOut]);

  const me = useQuery({
    queryKey: ['me', csrf],
    enabled: typeof csrf === 'string',
    queryFn: ({ signal }) => api.get<Me>('/api/v1/me', signal),
    staleTime: 60_000,
  });
  const members = useQuery({
    queryKey: ['members', csrf],
    enabled: me.isSuccess,
    queryFn: ({ signal }) => api.get<{ items: Member[] }>('/api/v1/members', signal),
    staleTime: 3600_000,
  });

  const submit = (raw: string): void => {
    setBusy(true);
    setMessage(null);
    openSession(normaliseToken(raw))
      .then((s) => {
        become(s);
        announce('in');
      })
      .catch((e: unknown) =>
        setMessage(e instanceof ApiError && e.status === 401 ? REJECTED : `Sign-in failed: ${describeError(e)}`),
      )
      .finally(() => setBusy(false));
  };

  if (held.isPending) return <SignIn onSubmit={submit} message={null} busy />;
  if (held.isError)
    return (
      <SignIn onSubmit={submit} message={`Could not check the session: ${describeError(held.error)}`} busy={busy} />
    );
  if (csrf === null) return <SignIn onSubmit={submit} message={message} busy={busy} />;
  const failed = me.isError ? me.error : members.isError ? members.error : null;
  if (failed)
    return <SignIn onSubmit={submit} message={`Could not load your profile: ${describeError(failed)}`} busy={busy} />;
  if (!me.data || !members.data) return <SignIn onSubmit={submit} message={null} busy />;
  const session: Session = {
    api,
    me: me.data,
    members: members.data.items,
    orgs: new Map(members.data.items.map((m) => [m.code, m])),
    signOut,
  };
  return (
    <SessionContext.Provider value={session}>
      <StreamProvider sessionKey={csrf} onUnauthorized={() => signOut(EXPIRED)}>
        <Shell />
      </StreamProvider>
    </SessionContext.Provider>
  );
}
