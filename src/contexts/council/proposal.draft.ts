import { randomUUID } from 'node:crypto';
import type { UserActor } from '../../kernel/access/actor.ts';
import { validation } from '../../platform/errors.ts';
import { isOrgCodeShape } from '../sharing/organisations.ts';
import { membersOn, type Proposal } from './proposal.ts';
import { assertOpenToEveryMember, assertSilencePeriod } from './proposal.policy.ts';
import type { CreateProposalInput } from './proposal.schema.ts';

/**
 * A new proposal from its input as of `now` (pure: the service stores it): the procedure's deadline at
 * least `minSilenceSeconds` away, the fields each kind needs, and a release every member can read.
 */
export function newProposal(
  actor: UserActor,
  input: CreateProposalInput,
  now: Date,
  supersedes: string | null,
  minSilenceSeconds: number,
): Proposal {
  const at = now.toISOString();
  let silenceEndsAt: string | null = null;
  if (input.procedure === 'silence') {
    if (!input.silenceEndsAt) throw validation('silenceEndsAt', 'a silence procedure needs a deadline (ISO time)');
    const end = Date.parse(input.silenceEndsAt);
    if (!(end > now.getTime()))
      throw validation('silenceEndsAt', `the deadline ${input.silenceEndsAt} is not in the future (now ${at})`);
    assertSilencePeriod(now.getTime(), end, minSilenceSeconds);
    silenceEndsAt = new Date(end).toISOString();
  } else if (input.silenceEndsAt) {
    throw validation(
      'silenceEndsAt',
      'only a silence procedure has a deadline; a meeting ends when the chair closes it',
    );
  }
  if (input.kind === 'deployment-mandate' && !input.host)
    throw validation('host', 'a deployment mandate names the host state (two-letter code)');
  if (input.kind !== 'deployment-mandate' && input.host)
    throw validation('host', 'only a deployment mandate has a host state');
  if (input.kind === 'article-5-determination' && !input.assessment)
    throw validation('assessment', 'an Article 5 determination carries the treaty assessment it rests on');
  const host = input.host?.toUpperCase();
  if (host !== undefined && !isOrgCodeShape(host))
    throw validation('host', `"${input.host}" is not a two-letter state code`);
  const tlp = input.tlp ?? 'amber';
  assertOpenToEveryMember(tlp, input.audience);
  const membershipDate = at.slice(0, 10);
  return {
    id: `proposal--${randomUUID()}`,
    kind: input.kind,
    title: input.title,
    text: input.text,
    procedure: input.procedure,
    status: 'circulating',
    author: actor.org,
    createdBy: actor.userName,
    createdAt: at,
    membershipDate,
    members: membersOn(membershipDate),
    silenceEndsAt,
    decidedAt: null,
    host: host ?? null,
    references: [...new Set(input.references ?? [])],
    assessment: input.assessment ?? null,
    tlp,
    audience: [],
    supersedes,
    supersededBy: null,
    version: 1,
    positions: {},
  };
}

/** What the chain records of a new proposal: its content and release, cross-checked by `audit verify`. */
export function createdData(p: Proposal): Record<string, unknown> {
  return {
    kind: p.kind,
    procedure: p.procedure,
    title: p.title,
    text: p.text,
    silenceEndsAt: p.silenceEndsAt,
    references: p.references,
    host: p.host,
    tlp: p.tlp,
    audience: p.audience,
  };
}

/** What the chain records of a settlement: the decision and the reservations it carries. */
export function settleData(p: Proposal): Record<string, unknown> {
  const reservations = Object.entries(p.positions)
    .filter(([, x]) => x.position === 'reservation')
    .map(([member, x]) => ({ member, statement: x.statement }));
  return { status: p.status, decidedAt: p.decidedAt, reservations };
}
