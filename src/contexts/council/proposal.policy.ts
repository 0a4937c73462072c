import type { Actor, UserActor } from '../sharing/actor.ts';
import { forbidden } from '../../platform/errors.ts';

/**
 * Who may do what with a proposal (reading is the sharing policy's canRead, applied by the service).
 * Only members take part; partners may read what is released to them but never hold a position.
 */
export function assertMemberUser(actor: Actor, doing: string): asserts actor is UserActor {
  if (actor.kind !== 'user') throw forbidden(`${doing}: only users of member organisations may do this`);
  if (actor.orgKind !== 'member') throw forbidden(`${doing}: only member organisations take part in the Council; partners may read what is released to them`);
}

/** The chair of a meeting is the author's organisation; an admin of a member organisation may also chair. */
export function canChair(actor: UserActor, author: string): boolean {
  return actor.org === author || (actor.role === 'admin' && actor.orgKind === 'member');
}

/** Withdrawing or revising a proposal belongs to its author organisation. */
export function isAuthor(actor: UserActor, author: string): boolean {
  return actor.org === author;
}
