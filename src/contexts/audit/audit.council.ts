import type { AuditRow } from './audit.ts';

/**
 * Cross-checks the council tables against the audit chain, as pure functions: every proposal has its
 * `create` entry with the same content and release, its status is the one its last deciding entry
 * recorded, and every position is the last one entered for that member. A row changed with SQL, and
 * not through the service, disagrees with the (HMAC-protected) chain and is reported.
 */
interface Told {
  created?: Record<string, unknown>;
  status: string;
  decidedAt?: unknown;
  positions: Map<string, { position: unknown; statement: unknown }>;
}

/** What the chain says about each proposal, fed one row at a time in seq order. */
export class CouncilTally {
  readonly bySubject = new Map<string, Told>();

  add(r: AuditRow): void {
    if (!r.subject.startsWith('proposal--')) return;
    let t = this.bySubject.get(r.subject);
    if (!t) this.bySubject.set(r.subject, (t = { status: 'circulating', positions: new Map() }));
    const d = JSON.parse(r.data) as Record<string, unknown>;
    if (r.action === 'create') t.created = d;
    if (r.action === 'position' && typeof d.member === 'string')
      t.positions.set(d.member, { position: d.position, statement: d.statement ?? null });
    if (r.action === 'revise') {
      t.status = 'superseded';
      if ('decidedAt' in d) t.decidedAt = d.decidedAt;
    } else if (typeof d.status === 'string') {
      t.status = d.status;
      if ('decidedAt' in d) t.decidedAt = d.decidedAt;
    }
  }
}

export interface ProposalRowView {
  id: string;
  kind: string;
  procedure: string;
  title: string;
  text: string;
  status: string;
  decidedAt: string | null;
  silenceEndsAt: string | null;
  host: string | null;
  tlp: string;
  audience: string[];
  references: string[];
  positions: ReadonlyArray<{ org: string; position: string; statement: string | null }>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The disagreements between one proposal's rows and its chain entries (empty when they agree). */
export function councilProblems(p: ProposalRowView, told: Told | undefined): string[] {
  if (!told?.created) return [`${p.id}: no create entry in the audit chain (the row was written outside the council)`];
  const out: string[] = [];
  const c = told.created;
  const fields: Array<[string, unknown]> = [
    ['kind', p.kind],
    ['procedure', p.procedure],
    ['title', p.title],
    ['text', p.text],
    ['silenceEndsAt', p.silenceEndsAt],
    ['references', p.references],
    ['host', p.host],
    ['tlp', p.tlp],
    ['audience', p.audience],
  ];
  for (const [k, v] of fields)
    if (k in c && !same(c[k], v))
      out.push(`${p.id}: ${k} is ${JSON.stringify(v)} in the table but ${JSON.stringify(c[k])} in the audit chain`);
  if (told.status !== p.status)
    out.push(`${p.id}: status is ${p.status} in the table but ${told.status} in the audit chain`);
  else if (p.status !== 'circulating' && told.decidedAt !== undefined && !same(told.decidedAt, p.decidedAt))
    out.push(
      `${p.id}: decidedAt is ${String(p.decidedAt)} in the table but ${JSON.stringify(told.decidedAt)} in the audit chain`,
    );
  const rows = new Map(p.positions.map((x) => [x.org, x]));
  for (const [org, x] of rows) {
    const t = told.positions.get(org);
    if (!t) out.push(`${p.id}: ${org}'s position has no entry in the audit chain`);
    else if (!same(t.position, x.position) || !same(t.statement, x.statement))
      out.push(`${p.id}: ${org}'s position is ${x.position} in the table but ${String(t.position)} in the audit chain`);
  }
  for (const org of told.positions.keys())
    if (!rows.has(org)) out.push(`${p.id}: ${org}'s position is in the audit chain but not in the table`);
  return out;
}
