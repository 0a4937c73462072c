import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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
  /** Key id and HMAC of `hash` (null on entries written before the chain was anchored). */
  keyId: string | null;
  mac: string | null;
}

/** A key of the audit keyring: `id` is derived from the key, so an entry names the key it needs. */
export interface AuditKey {
  id: string;
  secret: Buffer;
}

/** The key that signs new entries, and every key (current and retired) that verifies old ones. */
export interface AuditKeyring {
  current: AuditKey;
  byId: ReadonlyMap<string, AuditKey>;
}

export function auditKey(secret: string): AuditKey {
  const bytes = Buffer.from(secret, 'utf8');
  return {
    id: createHash('sha256').update('bulwark-audit-key-id\u0000').update(bytes).digest('hex').slice(0, 16),
    secret: bytes,
  };
}

export function keyring(current: string, old: readonly string[] = []): AuditKeyring {
  const cur = auditKey(current);
  const byId = new Map<string, AuditKey>([[cur.id, cur]]);
  for (const o of old) {
    const k = auditKey(o);
    if (!byId.has(k.id)) byId.set(k.id, k);
  }
  return { current: cur, byId };
}

function hmac(key: AuditKey, domain: string, text: string): string {
  return createHmac('sha256', key.secret).update(domain).update('\u0000').update(text).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The HMAC of an entry: over its hash, which covers its contents and (through prev_hash) every entry before it. */
export const entryMac = (key: AuditKey, hash: string): string => hmac(key, 'bulwark-audit-entry-v1', hash);

/**
 * The head of the chain as last seen by this server, signed, kept outside the database (a file in
 * the data folder). The database alone cannot shorten the chain below it or rewrite it.
 */
export interface Checkpoint {
  /** The store this head belongs to (its id is kept in the store's kv table). */
  store: string;
  /** Number of entries (= seq of the last one) and its hash. */
  seq: number;
  hash: string;
  /** Entries up to this seq predate anchoring and carry no HMAC. */
  legacyUpTo: number;
  at: string;
  keyId: string;
  mac: string;
}

const checkpointText = (c: Omit<Checkpoint, 'mac' | 'keyId'>, keyId: string): string =>
  JSON.stringify([c.store, c.seq, c.hash, c.legacyUpTo, c.at, keyId]);

export function signCheckpoint(key: AuditKey, c: Omit<Checkpoint, 'mac' | 'keyId'>): Checkpoint {
  return {
    store: c.store,
    seq: c.seq,
    hash: c.hash,
    legacyUpTo: c.legacyUpTo,
    at: c.at,
    keyId: key.id,
    mac: hmac(key, 'bulwark-audit-checkpoint-v1', checkpointText(c, key.id)),
  };
}

/** Why a checkpoint cannot be trusted, or undefined when its HMAC holds under a known key. */
export function checkpointProblem(ring: AuditKeyring, c: Checkpoint): string | undefined {
  const key = ring.byId.get(c.keyId);
  if (!key)
    return `the checkpoint is signed with key ${c.keyId}, which is not in the keyring (BULWARK_AUDIT_KEY, BULWARK_AUDIT_OLD_KEYS)`;
  if (!sameHex(hmac(key, 'bulwark-audit-checkpoint-v1', checkpointText(c, c.keyId)), c.mac))
    return 'the checkpoint HMAC does not match (the file was altered)';
  return undefined;
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

export function chainHash(
  prevHash: string,
  r: Pick<AuditRow, 'seq' | 'at' | 'actor' | 'action' | 'subject' | 'data'>,
): string {
  return createHash('sha256').update(prevHash).update(canonicalRow(r)).digest('hex');
}

/** Builds the next row of the chain after `last` (undefined when the log is empty). */
export function nextRow(
  last: Pick<AuditRow, 'seq' | 'hash'> | undefined,
  input: AuditInput,
  at: string,
  key?: AuditKey,
): AuditRow {
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  const base = {
    seq,
    at,
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    data: canonicalJson(input.data),
  };
  const hash = chainHash(prevHash, base);
  return { ...base, prevHash, hash, keyId: key?.id ?? null, mac: key ? entryMac(key, hash) : null };
}

export interface VerifyState {
  checked: number;
  lastSeq: number;
  head: string;
}

export type LinkCheck = { ok: true } | { ok: false; seq: number; reason: string };

export const initialVerifyState = (): VerifyState => ({ checked: 0, lastSeq: 0, head: GENESIS });

/** What the HMACs are checked with: entries after `legacyUpTo` must carry a valid HMAC. */
export interface MacPolicy {
  ring: AuditKeyring;
  legacyUpTo: number;
}

/**
 * Checks one row against the state after the rows before it; on success the state advances.
 * Rows must be fed in ascending seq order. With a MAC policy, a row past the legacy prefix needs an
 * HMAC under a known key: without the key, nobody can rewrite the chain and recompute it.
 */
export function checkLink(state: VerifyState, r: AuditRow, macs?: MacPolicy): LinkCheck {
  const expectedSeq = state.lastSeq + 1;
  if (r.seq !== expectedSeq) {
    return { ok: false, seq: expectedSeq, reason: `entry ${expectedSeq} is missing (next stored entry is ${r.seq})` };
  }
  if (r.prevHash !== state.head)
    return { ok: false, seq: r.seq, reason: `prev_hash does not match the hash of entry ${r.seq - 1}` };
  if (chainHash(r.prevHash, r) !== r.hash)
    return { ok: false, seq: r.seq, reason: 'hash does not match the row contents (the row was altered)' };
  if (macs && (r.mac !== null || r.seq > macs.legacyUpTo)) {
    const key = r.keyId === null ? undefined : macs.ring.byId.get(r.keyId);
    if (r.mac === null || r.keyId === null)
      return { ok: false, seq: r.seq, reason: 'the entry has no HMAC (written or rewritten without the audit key)' };
    if (!key)
      return {
        ok: false,
        seq: r.seq,
        reason: `the entry is signed with key ${r.keyId}, which is not in the keyring (add the retired key to BULWARK_AUDIT_OLD_KEYS)`,
      };
    if (!sameHex(entryMac(key, r.hash), r.mac))
      return {
        ok: false,
        seq: r.seq,
        reason: 'the HMAC does not match (the entry was rewritten without the audit key)',
      };
  }
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
  /** The signed head the chain was checked against (absent when there is none). */
  checkpoint?: { seq: number; hash: string; at: string };
  /** Council rows that disagree with their chain entries, one line each. */
  council?: string[];
}

/**
 * Compares the chain with the signed checkpoint: a chain shorter than the checkpoint was truncated;
 * a different hash at the checkpoint's seq means it was rewritten.
 */
export function headProblem(
  c: Checkpoint,
  rowAtSeq: Pick<AuditRow, 'hash'> | undefined,
  entries: number,
): string | undefined {
  if (entries < c.seq || !rowAtSeq)
    return `the chain has ${entries} entries but the signed checkpoint of ${c.at} records ${c.seq}: entries were deleted`;
  if (rowAtSeq.hash !== c.hash)
    return `entry ${c.seq} differs from the signed checkpoint of ${c.at}: the chain was rewritten`;
  return undefined;
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
export function actorLabel(
  actor: { kind: 'user'; userName: string; org: string } | { kind: 'system'; name: string },
): string {
  return actor.kind === 'system' ? `system:${actor.name}` : `user:${actor.userName}@${actor.org}`;
}
