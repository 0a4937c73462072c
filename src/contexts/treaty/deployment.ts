import { partyStatus } from './membership.ts';
import * as T from './treaty-text.ts';
import type { Reason } from './assessment.ts';

/**
 * Preconditions for deploying Alliance forces to a state, as a pure function. Outside a member's
 * territory under Article 5, forces go only where the host state has formally asked for them; and
 * Alliance forces always move on a mandate the North Atlantic Council adopted by consensus.
 */
export const PURPOSES = ['article-5', 'crisis-response', 'deterrence', 'training', 'humanitarian'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const MISSING_KEYS = ['formal-request', 'council-decision'] as const;
export type MissingKey = (typeof MISSING_KEYS)[number];

export interface DeploymentInput {
  host: string;
  date: string;
  purpose: Purpose;
  formalRequest: boolean;
  councilDecision?: string;
}

/** What the council says about the referenced proposal; undefined when none is visible to the actor. */
export interface MandateRecord {
  kind: string;
  status: string;
  host?: string | null;
  /** Stored release as read at check time. */
  tlp: string;
  audience: readonly string[];
  /** Every member could read it (TLP:AMBER or wider, no audience), so every member could object. */
  openToEveryMember: boolean;
  /** Length of its silence period in seconds (silence procedures; null for a meeting). */
  silenceSeconds: number | null;
  /** The configured minimum silence period (BULWARK_MIN_SILENCE_SECONDS). */
  minSilenceSeconds: number;
}

export interface DeploymentCheck {
  permitted: boolean;
  missing: MissingKey[];
  hostIsMember: boolean;
  reasons: Reason[];
}

const ADOPTED = new Set(['adopted', 'adopted-with-reservations']);

export function checkDeployment(input: DeploymentInput, mandate: MandateRecord | undefined): DeploymentCheck {
  const missing: MissingKey[] = [];
  const reasons: Reason[] = [];
  const host = partyStatus(input.host, input.date);
  const hostIsMember = host.status === 'party';
  reasons.push({
    rule: 'membership',
    citation: T.CITE.art10,
    text: hostIsMember
      ? `${host.name} (${host.code}) was a Party on ${input.date} (since ${host.joined}).`
      : `${host.name} (${host.code}) was not a Party on ${input.date}.`,
  });

  const article5OnAlly = hostIsMember && input.purpose === 'article-5';
  if (article5OnAlly) {
    reasons.push({
      rule: 'formal-request',
      citation: T.CITE.art5,
      text: `A deployment to the territory of a Party under Article 5 needs no formal request: the Parties will assist “the Party or Parties so attacked by taking forthwith … such action as it deems necessary”.`,
    });
  } else if (input.formalRequest) {
    reasons.push({
      rule: 'formal-request',
      citation: 'Charter of the United Nations, Article 2(4); host-nation consent',
      text: `${host.code} has formally requested the deployment.`,
    });
  } else {
    missing.push('formal-request');
    reasons.push({
      rule: 'formal-request',
      citation: 'Charter of the United Nations, Article 2(4); host-nation consent',
      text: `${hostIsMember ? `A ${input.purpose} deployment (not under Article 5)` : `A deployment to ${host.code}, which is not a Party,`} requires the host state's formal request, and none is recorded.`,
    });
  }

  const ref = input.councilDecision;
  let mandateProblem: string | null = null;
  if (!ref) mandateProblem = 'no council decision is referenced';
  else if (!mandate) mandateProblem = `council proposal ${ref} was not found`;
  else if (mandate.kind !== 'deployment-mandate')
    mandateProblem = `council proposal ${ref} is a ${mandate.kind}, not a deployment-mandate`;
  else if (!ADOPTED.has(mandate.status)) mandateProblem = `council proposal ${ref} is ${mandate.status}, not adopted`;
  else if (mandate.host && mandate.host !== input.host)
    mandateProblem = `council proposal ${ref} mandates a deployment to ${mandate.host}, not to ${input.host}`;
  else if (!mandate.openToEveryMember) {
    const release = `TLP:${mandate.tlp.toUpperCase()}${mandate.audience.length ? ` for ${mandate.audience.join(', ')}` : ''}`;
    mandateProblem = `council proposal ${ref} is released at ${release}, so not every member could read it and object; a consensus needs a proposal every member could read (TLP:AMBER or wider, no audience)`;
  } else if (mandate.silenceSeconds !== null && mandate.silenceSeconds < mandate.minSilenceSeconds) {
    mandateProblem = `council proposal ${ref} was under silence for ${mandate.silenceSeconds} s, shorter than the minimum of ${mandate.minSilenceSeconds} s`;
  }
  if (mandateProblem) {
    missing.push('council-decision');
    reasons.push({
      rule: 'council-decision',
      citation: T.CITE.consensus,
      text: `Alliance forces deploy on a mandate the North Atlantic Council adopted by consensus; ${mandateProblem}.`,
    });
  } else {
    reasons.push({
      rule: 'council-decision',
      citation: T.CITE.consensus,
      text: `Council proposal ${ref} is an adopted deployment mandate${mandate?.status === 'adopted-with-reservations' ? ' (with reservations)' : ''}.`,
    });
  }
  return { permitted: missing.length === 0, missing, hostIsMember, reasons };
}
