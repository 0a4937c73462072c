import { createContext, useContext } from 'react';
import type { Api } from '../api/client.ts';
import type { Me, Member } from '../api/types.ts';

export interface Session {
  api: Api;
  me: Me;
  members: Member[];
  orgs: ReadonlyMap<string, Member>;
  signOut: (reason?: string) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}

export function isAdmin(s: Session): boolean {
  return s.me.user.role === 'admin';
}
