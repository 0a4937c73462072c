import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditLogTable, Schema } from '../../platform/db/schema.ts';
import type { DialectName } from '../../platform/db/dialect.ts';
import type { Logger } from '../../platform/log.ts';
import { decodeAudience } from '../../kernel/access/releasability.ts';
import { CheckpointFile, type AuditAnchor } from './audit.anchor.ts';
import { CouncilTally, councilProblems } from './audit.council.ts';
import {
  GENESIS,
  checkLink,
  checkpointProblem,
  headProblem,
  initialVerifyState,
  nextRow,
  signCheckpoint,
  type AuditInput,
  type AuditRow,
  type Checkpoint,
  type MacPolicy,
  type VerifyResult,
} from './audit.ts';

/** Advisory lock key that serializes appends to the chain on PostgreSQL. */
const AUDIT_LOCK_KEY = 4700201;
/** The store's identity in kv: names its checkpoint file, so stores sharing a data folder never mix. */
const STORE_KEY = 'audit.store';

/**
 * The audit_log table. `append` must run inside the transaction of the change it records: the
 * entry exists if and only if the change committed. Appends are serialized so that the chain never
 * forks: on PostgreSQL by a transaction-scoped advisory lock taken before the last hash is read; on
 * SQLite by the single writer (and in both by the primary key on seq, which refuses a second entry
 * with the same predecessor). Each entry carries an HMAC under the anchor's current key, and after
 * each commit `checkpoint()` signs the new head into a file outside the database.
 */
export class AuditRepository {
  private cp: Checkpoint | undefined;
  private file: CheckpointFile | undefined;
  private started: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: DialectName,
    private readonly anchor: AuditAnchor,
    private readonly log: Logger,
  ) {}

  async append(trx: Transaction<Schema>, input: AuditInput, at: string): Promise<AuditRow> {
    return (await this.appendMany(trx, [input], at))[0]!;
  }

  /** Takes the chain's append lock for the rest of the transaction (PostgreSQL; SQLite has one writer). */
  async lock(trx: Transaction<Schema>): Promise<void> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  }

  /** Appends several entries in order, in one statement. */
  async appendMany(trx: Transaction<Schema>, inputs: readonly AuditInput[], at: string): Promise<AuditRow[]> {
    if (inputs.length === 0) return [];
    await this.lock(trx);
    let last: Pick<AuditRow, 'seq' | 'hash'> | undefined = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last) last = { seq: Number(last.seq), hash: last.hash };
    const rows: AuditRow[] = [];
    for (const input of inputs) rows.push((last = nextRow(last, input, at, this.anchor.ring.current)));
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('audit_log')
        .values(
          rows.slice(i, i + 500).map((r) => ({
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            subject: r.subject,
            data: r.data,
            prev_hash: r.prevHash,
            hash: r.hash,
            key_id: r.keyId,
            mac: r.mac,
          })),
        )
        .execute();
    }
    return rows;
  }

  /** Entries about one subject, oldest first. */
  async forSubject(subject: string): Promise<AuditRow[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject', '=', subject)
      .orderBy('seq')
      .execute();
    return rows.map(toRow);
  }

  /**
   * Loads the store's signed checkpoint, before anything is appended. A store never anchored (no
   * identity yet, or no entry with an HMAC) is anchored at its current head, with a warning when it
   * holds entries (they are trusted as found). A checkpoint missing from an anchored store is an
   * error that `bulwark audit verify` reports until an operator re-anchors (`bulwark audit anchor`).
   */
  start(): Promise<void> {
    return (this.started ??= this.load(false));
  }

  /** Re-anchors at the current head after its HMACs were checked (operator command after an incident or a restore). */
  async reanchor(): Promise<Checkpoint> {
    this.started = this.load(true);
    await this.started;
    return this.cp!;
  }

  private async load(force: boolean): Promise<void> {
    await this.db
      .insertInto('kv')
      .values({ key: STORE_KEY, value: randomUUID() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const store = (
      await this.db.selectFrom('kv').select('value').where('key', '=', STORE_KEY).executeTakeFirstOrThrow()
    ).value;
    this.file = new CheckpointFile(this.anchor.dir, store);
    const found = force ? undefined : this.file.read();
    if (found) {
      const problem = checkpointProblem(this.anchor.ring, found);
      if (problem) this.log.error({ file: this.file.path }, `audit: ${problem}; run bulwark audit verify`);
      else this.cp = found;
      return;
    }
    const head = await this.db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const firstMac = await this.db
      .selectFrom('audit_log')
      .select('seq')
      .where('mac', 'is not', null)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (firstMac && !force) {
      this.log.error(
        { file: this.file.path },
        'audit: the signed checkpoint of this store is missing; the chain cannot be checked for truncation until an operator runs bulwark audit anchor',
      );
      return;
    }
    const legacyUpTo = firstMac ? Number(firstMac.seq) - 1 : Number(head?.seq ?? 0);
    if (force) {
      const r = await this.walk({ ring: this.anchor.ring, legacyUpTo }, undefined);
      if (!r.ok)
        throw new Error(`audit: cannot anchor a broken chain: seq ${String(r.firstBrokenSeq)}: ${r.reason ?? ''}`);
    }
    if (legacyUpTo > 0)
      this.log.warn(
        { entries: legacyUpTo },
        'audit: anchoring entries written before the audit key existed; they are trusted as found',
      );
    await this.write({ seq: Number(head?.seq ?? 0), hash: head?.hash ?? GENESIS, legacyUpTo });
  }

  private async write(h: { seq: number; hash: string; legacyUpTo: number }): Promise<void> {
    const c = signCheckpoint(this.anchor.ring.current, { store: this.file!.store, ...h, at: new Date().toISOString() });
    await this.file!.write(c);
    this.cp = c;
    this.log.info({ seq: c.seq, hash: c.hash, keyId: c.keyId, mac: c.mac }, 'audit: head checkpoint');
  }

  /**
   * Signs the new head after commits: only when the chain still holds the last checkpoint's entry
   * unchanged and every entry after it carries a valid HMAC. Calls while one runs are coalesced.
   */
  checkpoint(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.advance();
        } while (this.again);
      } catch (e) {
        this.log.error({ err: e }, 'audit: checkpoint failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async advance(): Promise<void> {
    await this.start();
    const cp = this.cp;
    if (!cp) return;
    const state = { checked: cp.seq, lastSeq: cp.seq, head: cp.hash };
    if (cp.seq > 0) {
      const at = await this.db.selectFrom('audit_log').select('hash').where('seq', '=', cp.seq).executeTakeFirst();
      const problem = headProblem(cp, at, at ? cp.seq : 0);
      if (problem) return void this.log.error(`audit: ${problem}; not signing a new head`);
    }
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', state.lastSeq)
        .orderBy('seq')
        .limit(1000)
        .execute();
      for (const r of rows) {
        const c = checkLink(state, toRow(r), { ring: this.anchor.ring, legacyUpTo: cp.legacyUpTo });
        if (!c.ok) return void this.log.error(`audit: entry ${c.seq}: ${c.reason}; not signing a new head`);
      }
      if (rows.length < 1000) break;
    }
    if (state.lastSeq > cp.seq) await this.write({ seq: state.lastSeq, hash: state.head, legacyUpTo: cp.legacyUpTo });
  }

  /**
   * Verifies the chain end to end: every link and HMAC, the head against the signed checkpoint
   * (truncation, rewriting), and every council proposal and position against its entries.
   */
  async verify(pageSize = 2000): Promise<VerifyResult> {
    // Verifying never writes: the store's identity is read, not created, and nothing is anchored.
    const store = (await this.db.selectFrom('kv').select('value').where('key', '=', STORE_KEY).executeTakeFirst())
      ?.value;
    const file = new CheckpointFile(this.anchor.dir, store ?? 'unanchored');
    const stored = store ? file.read() : undefined;
    const problem = stored && checkpointProblem(this.anchor.ring, stored);
    const cp = problem ? undefined : stored;
    const tally = new CouncilTally();
    const r = await this.walk({ ring: this.anchor.ring, legacyUpTo: cp?.legacyUpTo ?? 0 }, tally, pageSize);
    if (cp) r.checkpoint = { seq: cp.seq, hash: cp.hash, at: cp.at };
    if (!r.ok) return r;
    if (problem) return { ...r, ok: false, reason: `${problem} (${file.path})` };
    if (!cp && r.entries > 0)
      return {
        ...r,
        ok: false,
        reason: `no signed checkpoint for this store (${file.path}): truncation cannot be ruled out`,
      };
    if (cp && cp.seq > 0) {
      const at = await this.db.selectFrom('audit_log').select('hash').where('seq', '=', cp.seq).executeTakeFirst();
      const head = headProblem(cp, at, r.entries);
      if (head) return { ...r, ok: false, reason: head };
    }
    const council = await this.councilProblems(tally);
    if (council.length > 0)
      return { ...r, ok: false, reason: `${council.length} council record(s) disagree with the audit chain`, council };
    return r;
  }

  private async walk(macs: MacPolicy, tally: CouncilTally | undefined, pageSize = 2000): Promise<VerifyResult> {
    const state = initialVerifyState();
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const x of rows) {
        const row = toRow(x);
        const c = checkLink(state, row, macs);
        if (!c.ok)
          return { ok: false, entries: state.checked, head: state.head, firstBrokenSeq: c.seq, reason: c.reason };
        tally?.add(row);
      }
      if (rows.length < pageSize) return { ok: true, entries: state.checked, head: state.head };
      after = Number(rows[rows.length - 1]!.seq);
    }
  }

  /** Every proposal (in pages) against what the chain told. */
  private async councilProblems(tally: CouncilTally): Promise<string[]> {
    const out: string[] = [];
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('council_proposals')
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(500)
        .execute();
      if (rows.length === 0) break;
      const positions = await this.db
        .selectFrom('council_positions')
        .selectAll()
        .where(
          'proposal_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      for (const p of rows) {
        const view = {
          id: p.id,
          kind: p.kind,
          procedure: p.procedure,
          title: p.title,
          text: p.text,
          status: p.status,
          decidedAt: p.decided_at,
          silenceEndsAt: p.silence_ends_at,
          host: p.host,
          tlp: p.tlp,
          audience: decodeAudience(p.audience),
          references: JSON.parse(p.refs) as string[],
          positions: positions
            .filter((x) => x.proposal_id === p.id)
            .map((x) => ({ org: x.org, position: x.position, statement: x.statement })),
        };
        out.push(...councilProblems(view, tally.bySubject.get(p.id)));
      }
      after = rows[rows.length - 1]!.id;
    }
    return out;
  }
}

function toRow(r: AuditLogTable): AuditRow {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
    keyId: r.key_id,
    mac: r.mac,
  };
}
