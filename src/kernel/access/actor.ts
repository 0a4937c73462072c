import type { OrgKind } from './organisation.ts';
import type { Reader } from './releasability.ts';

/**
 * `analyst` reads and writes intelligence for its organisation; `admin` also manages its organisation's
 * users; `operator` runs the node (metrics, peers) and reads no more intelligence than an analyst of its
 * organisation. An operator is not an admin of users, and an admin is not an operator.
 */
export type Role = 'analyst' | 'admin' | 'operator';
export const ROLES: readonly Role[] = ['analyst', 'admin', 'operator'];

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

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
