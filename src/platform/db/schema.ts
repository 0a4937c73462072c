import type { Generated } from 'kysely';

/** Booleans are stored as 0/1 integers so that one schema runs on SQLite and PostgreSQL. */
export interface OrganisationsTable {
  code: string;
  name: string;
  kind: 'member' | 'partner';
  joined: string | null;
}

export interface UsersTable {
  id: string;
  name: string;
  org: string;
  role: 'analyst' | 'admin' | 'system';
  created_at: string;
  disabled: number;
}

export interface TokensTable {
  hash: string;
  user_id: string;
  created_at: string;
  expires_at: string | null;
  revoked: number;
}

export interface ObjectsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  spec_version: string;
  version: string;
  added_us: number;
  date_added: string;
  author: string;
  tlp: string;
  /** ",PL,LT," or "" when no audience was given. */
  audience: string;
  is_latest: number;
  json: string;
}

export interface OutboxTable {
  seq: Generated<number>;
  event: string;
  object_id: string;
  author: string;
  tlp: string;
  audience: string;
  payload: string;
  created_at: string;
  /** Assigned by the relay when published: the order subscribers see, and the SSE id. */
  event_id: number | null;
}

export interface TaxiiStatusTable {
  id: string;
  owner: string;
  status: string;
  request_timestamp: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  details: string;
}

export interface KvTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  /** Canonical JSON text (keys sorted); hashed exactly as stored. */
  data: string;
  prev_hash: string;
  hash: string;
}

export interface CouncilProposalsTable {
  id: string;
  kind: string;
  title: string;
  text: string;
  procedure: string;
  status: string;
  author: string;
  created_by: string;
  created_at: string;
  /** YYYY-MM-DD: the date whose membership takes part. */
  membership_date: string;
  /** ",BE,CA,…," the members concerned, fixed at creation. */
  members: string;
  silence_ends_at: string | null;
  decided_at: string | null;
  host: string | null;
  /** JSON array of referenced ids. */
  refs: string;
  assessment: string | null;
  tlp: string;
  audience: string;
  supersedes: string | null;
  superseded_by: string | null;
  /** Optimistic-concurrency counter: every transition is a conditional update on it. */
  version: number;
}

export interface CouncilPositionsTable {
  proposal_id: string;
  org: string;
  position: string;
  statement: string | null;
  at: string;
  by_user: string;
}

export interface Schema {
  organisations: OrganisationsTable;
  users: UsersTable;
  tokens: TokensTable;
  objects: ObjectsTable;
  outbox: OutboxTable;
  taxii_status: TaxiiStatusTable;
  kv: KvTable;
  audit_log: AuditLogTable;
  council_proposals: CouncilProposalsTable;
  council_positions: CouncilPositionsTable;
}
