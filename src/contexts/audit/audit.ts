import { createHash } from 'node:crypto';

/**
 * The hash-chained audit log, as pure functions. Each entry's hash is
 * sha256(prev_hash + canonical row); the first entry's prev_hash is GENESIS. Altering, deleting or
 * reordering any stored row breaks the chain at that row (or at the next one when the altered row's
 * hash was recomputed too), and `verifyChain` names the first broken link by its seq.
 */
export const GENESIS = '0'.repeat(64);

export interface AuditInput {
  /** Who acted: "user:<name>@<org>" or "system:<name>". */
  actor: string;
  /** create, position, settle, close, withdraw, revise, … */
  action: string;
  /** The id of the object acted on. */
  subject: string;
  data: Record<string, unknown>;
}

/** One stored row, exactly as in the audit_log table (`data` is canonical JSON text). */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth, so that equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** The bytes that are hashed for a row: its fields in a fixed order, as JSON. */
export function canonicalRow(r: Pick<AuditRow, 'seq' | 'at' | 'actor' | 'action' | 'subject' | 'data'>): string {
  return JSON.stringify([r.seq, r.at, r.actor, r.action, r.subject, r.data]);
}

export function chainHash(prevHash: string, r: Pick<AuditRow, 'seq' | 'at' | 'actor' | 'action' | 'subject' | 'data'>): string {
  return createHash('sha256').update(prevHash).update(canonicalRow(r)).digest('hex');
}

/** Builds the next row of the chain after `last` (undefined when the log is empty). */
export function nextRow(last: Pick<AuditRow, 'seq' | 'hash'> | undefined, input: AuditInput, at: string): AuditRow {
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  const base = { seq, at, actor: input.actor, action: input.action, subject: input.subject, data: canonicalJson(input.data) };
  return { ...base, prevHash, hash: chainHash(prevHash, base) };
}

export interface VerifyState {
  checked: number;
  lastSeq: number;
  head: string;
}

export type LinkCheck = { ok: true } | { ok: false; seq: number; reason: string };

export const initialVerifyState = (): VerifyState => ({ checked: 0, lastSeq: 0, head: GENESIS });

/**
 * Checks one row against the state after the rows before it; on success the state advances.
 * Rows must be fed in ascending seq order.
 */
export function checkLink(state: VerifyState, r: AuditRow): LinkCheck {
  const expectedSeq = state.lastSeq + 1;
  if (r.seq !== expectedSeq) {
    return { ok: false, seq: expectedSeq, reason: `entry ${expectedSeq} is missing (next stored entry is ${r.seq})` };
  }
  if (r.prevHash !== state.head) return { ok: false, seq: r.seq, reason: `prev_hash does not match the hash of entry ${r.seq - 1}` };
  if (chainHash(r.prevHash, r) !== r.hash) return { ok: false, seq: r.seq, reason: 'hash does not match the row contents (the row was altered)' };
  state.checked += 1;
  state.lastSeq = r.seq;
  state.head = r.hash;
  return { ok: true };
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  head: string;
  firstBrokenSeq?: number;
  reason?: string;
}

/** Verifies a whole chain held in memory (the repository streams large logs through checkLink). */
export function verifyChain(rows: Iterable<AuditRow>): VerifyResult {
  const state = initialVerifyState();
  for (const r of rows) {
    const c = checkLink(state, r);
    if (!c.ok) return { ok: false, entries: state.checked, head: state.head, firstBrokenSeq: c.seq, reason: c.reason };
  }
  return { ok: true, entries: state.checked, head: state.head };
}

/** How an actor is named in the log. */
export function actorLabel(actor: { kind: 'user'; userName: string; org: string } | { kind: 'system'; name: string }): string {
  return actor.kind === 'system' ? `system:${actor.name}` : `user:${actor.userName}@${actor.org}`;
}
