import type { OrgKind } from './organisations.ts';
import type { Reader } from './releasability.policy.ts';

export type Role = 'analyst' | 'admin';

/** An authenticated user acting for their organisation. */
export interface UserActor {
  kind: 'user';
  userId: string;
  userName: string;
  org: string;
  orgKind: OrgKind;
  role: Role;
}

/** Background work (settling deadlines, correlation, relays) acts as a named system actor. */
export interface SystemActor {
  kind: 'system';
  name: string;
}

export type Actor = UserActor | SystemActor;

export function systemActor(name: string): SystemActor {
  return { kind: 'system', name };
}

export function readerOf(actor: Actor | null): Reader {
  if (actor === null) return { kind: 'anonymous' };
  if (actor.kind === 'system') return { kind: 'system', name: actor.name };
  return { kind: 'org', org: actor.org, orgKind: actor.orgKind };
}
