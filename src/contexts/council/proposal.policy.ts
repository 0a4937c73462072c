import type { Actor, UserActor } from '../../kernel/access/actor.ts';
import { forbidden, validation } from '../../platform/errors.ts';

/**
 * Who may do what with a proposal (reading is the sharing policy's canRead, applied by the service).
 * Only members take part; partners may read what is released to them but never hold a position.
 */
export function assertMemberUser(actor: Actor, doing: string): asserts actor is UserActor {
  if (actor.kind !== 'user') throw forbidden(`${doing}: only users of member organisations may do this`);
  if (actor.orgKind !== 'member')
    throw forbidden(
      `${doing}: only member organisations take part in the Council; partners may read what is released to them`,
    );
}

/** The chair of a meeting is the author's organisation; an admin of a member organisation may also chair. */
export function canChair(actor: UserActor, author: string): boolean {
  return actor.org === author || (actor.role === 'admin' && actor.orgKind === 'member');
}

/** Withdrawing or revising a proposal belongs to its author organisation. */
export function isAuthor(actor: UserActor, author: string): boolean {
  return actor.org === author;
}

/**
 * The releases a proposal may have: every member takes part, so every member must be able to read it
 * (TLP:AMBER or wider, no audience). A narrower proposal could be decided unseen by those it binds.
 */
export const COUNCIL_TLPS = ['clear', 'green', 'amber'] as const;
export type CouncilTlp = (typeof COUNCIL_TLPS)[number];

export function isOpenToEveryMember(p: { tlp: string; audience: readonly string[] }): boolean {
  return (COUNCIL_TLPS as readonly string[]).includes(p.tlp) && p.audience.length === 0;
}

/** Throws a 400 naming `tlp` or `audience` when a proposal's release would hide it from a member. */
export function assertOpenToEveryMember(tlp: string, audience: readonly string[] | undefined): void {
  if (!(COUNCIL_TLPS as readonly string[]).includes(tlp)) {
    throw validation(
      'tlp',
      `a council proposal is released to every member: TLP:CLEAR, GREEN or AMBER, not ${tlp.toUpperCase()}`,
    );
  }
  if (audience !== undefined) {
    throw validation(
      'audience',
      'a council proposal is released to every member and names no audience; every member takes part, so every member must be able to read it',
    );
  }
}

/** Throws a 400 naming `silenceEndsAt` when the silence period is shorter than the configured minimum. */
export function assertSilencePeriod(createdAt: number, silenceEndsAt: number, minSeconds: number): void {
  if (silenceEndsAt - createdAt < minSeconds * 1000) {
    throw validation(
      'silenceEndsAt',
      `the silence period must last at least ${minSeconds} s (BULWARK_MIN_SILENCE_SECONDS), so that every member can read the proposal and object; ends at ${new Date(silenceEndsAt).toISOString()}, ${Math.round((silenceEndsAt - createdAt) / 1000)} s from now`,
    );
  }
}
