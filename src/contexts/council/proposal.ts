import { conflict, forbidden, type DomainError } from '../../platform/errors.ts';
import { partiesOn } from '../treaty/membership.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';

/**
 * Council proposals and their state machine, as pure functions. The alliance decides by consensus
 * and never votes: a silence procedure is adopted when its deadline passes with no member breaking
 * silence; a meeting procedure is adopted when the chair closes it with every member concurring.
 * Time enters as values (`at`); nothing here reads a clock or a store.
 */
export const PROPOSAL_KINDS = [
  'coordinated-response',
  'article-4-consultation',
  'article-5-determination',
  'deployment-mandate',
  'support-package',
  'public-statement',
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const PROCEDURES = ['silence', 'meeting'] as const;
export type Procedure = (typeof PROCEDURES)[number];

export const POSITIONS = ['concur', 'break-silence', 'reservation'] as const;
export type PositionKind = (typeof POSITIONS)[number];

export const STATUSES = [
  'circulating',
  'adopted',
  'adopted-with-reservations',
  'silence-broken',
  'withdrawn',
  'superseded',
] as const;
export type ProposalStatus = (typeof STATUSES)[number];

export const isTerminal = (s: ProposalStatus): boolean => s !== 'circulating';

export interface PositionRecord {
  position: PositionKind;
  statement: string | null;
  at: string;
}

/** The part of a proposal the state machine reads and writes. */
export interface ProposalState {
  procedure: Procedure;
  status: ProposalStatus;
  /** Members concerned: the alliance's membership on the proposal's date. */
  members: readonly string[];
  silenceEndsAt: string | null;
  positions: Readonly<Record<string, PositionRecord>>;
  decidedAt: string | null;
}

export type CouncilEvent =
  | { type: 'position'; org: string; position: PositionKind; statement: string | null; at: string }
  | { type: 'tick'; at: string }
  | { type: 'close'; at: string }
  | { type: 'withdraw'; at: string }
  | { type: 'supersede'; at: string };

/** Members of the alliance on a date (YYYY-MM-DD), as sorted codes: the Treaty's Parties on that date. */
export function membersOn(date: string): string[] {
  return partiesOn(date)
    .map((m) => m.code)
    .sort();
}

const ms = (iso: string): number => Date.parse(iso);

/** A silence procedure whose deadline has passed by `at` is settled: adopted, with reservations if any. */
export function settleIfDue(s: ProposalState, at: string): ProposalState {
  if (s.status !== 'circulating' || s.procedure !== 'silence' || s.silenceEndsAt === null) return s;
  if (ms(at) < ms(s.silenceEndsAt)) return s;
  const reserved = Object.values(s.positions).some((p) => p.position === 'reservation');
  return { ...s, status: reserved ? 'adopted-with-reservations' : 'adopted', decidedAt: s.silenceEndsAt };
}

/** Members (on the proposal's date) that have neither concurred nor entered a reservation. */
export function withoutConsent(s: ProposalState): string[] {
  return s.members.filter((m) => {
    const p = s.positions[m]?.position;
    return p !== 'concur' && p !== 'reservation';
  });
}

function decided(s: ProposalState): DomainError {
  return conflict(
    `the proposal is already ${s.status}${s.decidedAt ? ` (since ${s.decidedAt})` : ''}; a decided proposal never changes`,
    'status',
  );
}

/**
 * Applies one event. Deadlines are applied first, so that a position arriving after the silence
 * period ended cannot break it even when the scheduler has not yet recorded the settlement.
 * Ticks never throw; every other event on a decided proposal throws a conflict (409).
 */
export function apply(state: ProposalState, e: CouncilEvent): ProposalState {
  const s = settleIfDue(state, e.at);
  if (e.type === 'tick') return s;
  if (isTerminal(s.status)) throw decided(s);
  switch (e.type) {
    case 'position': {
      if (!s.members.includes(e.org))
        throw forbidden(`${e.org} is not a member of the alliance on this proposal's date, so it takes no position`);
      const positions = { ...s.positions, [e.org]: { position: e.position, statement: e.statement, at: e.at } };
      if (s.procedure === 'silence' && e.position === 'break-silence')
        return { ...s, positions, status: 'silence-broken', decidedAt: e.at };
      return { ...s, positions };
    }
    case 'close': {
      if (s.procedure !== 'meeting')
        throw conflict(
          'a silence procedure ends at its deadline (silenceEndsAt) and is not closed by the chair',
          'procedure',
        );
      const missing = withoutConsent(s);
      if (missing.length > 0) {
        throw conflict(
          `no consensus: ${missing.length} member(s) have not concurred (${missing.join(', ')}); positions may still change, or the author may withdraw or revise the proposal`,
          'positions',
        );
      }
      const reserved = Object.values(s.positions).some((p) => p.position === 'reservation');
      return { ...s, status: reserved ? 'adopted-with-reservations' : 'adopted', decidedAt: e.at };
    }
    case 'withdraw':
      return { ...s, status: 'withdrawn', decidedAt: e.at };
    case 'supersede':
      return { ...s, status: 'superseded', decidedAt: e.at };
  }
}

/** A stored proposal: the state machine's part plus what it is about and who may read it. */
export interface Proposal extends ProposalState {
  id: string;
  kind: ProposalKind;
  title: string;
  text: string;
  author: string;
  createdBy: string;
  createdAt: string;
  membershipDate: string;
  host: string | null;
  references: string[];
  assessment: Record<string, unknown> | null;
  tlp: Tlp;
  audience: string[];
  supersedes: string | null;
  supersededBy: string | null;
  version: number;
  positions: Readonly<Record<string, PositionRecord & { by: string }>>;
}
