/**
 * Who may do what in the outlook context (api.md, Wave 2 contracts). Pure.
 * Reading follows the releasability table (kernel/access canRead); a shared object is changed only by
 * its author organisation; any reader of a question may forecast on it; a question is resolved (or
 * annulled) only by an admin of its author organisation.
 */
import type { Actor, UserActor } from '../../kernel/access/actor.ts';
import { forbidden } from '../../platform/errors.ts';
import type { Released } from './outlook.ts';
import { canRead, type Releasable } from '../../kernel/access/releasability.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';

/** Writes are made by users for their organisation; background work has nothing to write here. */
export function assertUser(actor: Actor, what: string): asserts actor is UserActor {
  if (actor.kind !== 'user') throw forbidden(`only a user may ${what}`);
}

export function isAuthor(actor: Actor, obj: Pick<Released, 'author'>): boolean {
  return actor.kind === 'user' && actor.org === obj.author;
}

/** Called once the object is known to be readable (an unreadable one is a 404 before this). */
export function assertAuthor(actor: Actor, obj: Pick<Released, 'author'>, what: string): asserts actor is UserActor {
  if (!isAuthor(actor, obj)) throw forbidden(`only the author organisation (${obj.author}) may ${what}`);
}

/**
 * Every organisation that may read `wide` may read `narrow` too: what one object quotes of another (a title,
 * a link) goes into it only then, since it is shown to all of its readers.
 */
export function readersCovered(wide: Releasable, narrow: Releasable): boolean {
  return ORGANISATIONS.every((o) => {
    const r = { kind: 'org', org: o.code, orgKind: o.kind } as const;
    return !canRead(r, wide) || canRead(r, narrow);
  });
}

export function assertCanResolve(actor: Actor, q: Pick<Released, 'author'>): asserts actor is UserActor {
  if (!(actor.kind === 'user' && actor.org === q.author && actor.role === 'admin'))
    throw forbidden(`only an admin of the author organisation (${q.author}) may resolve this question`);
}
