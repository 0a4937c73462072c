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
  role: 'analyst' | 'admin' | 'operator' | 'system';
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

/** A console session (038): the cookie's and the token's hashes, its CSRF secret and its end. */
export interface ConsoleSessionsTable {
  id_hash: string;
  token_hash: string;
  user_id: string;
  csrf: string;
  created_at: string;
  expires_at: string;
}

export interface ObjectsTable {
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
  /** Id of the key under which `mac` was computed (null for entries written before anchoring). */
  key_id: string | null;
  /** HMAC-SHA256 of `hash` under a key kept outside the database. */
  mac: string | null;
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

export interface IntelIncidentsTable {
  id: string;
  author: string;
  tlp: string;
  audience: string;
  category: string;
  title: string;
  occurred_at: string;
  iso_week: string;
  lat: number | null;
  lon: number | null;
  /** ",EE,LV," the affected members. */
  members: string;
  /** Normalised name of the attributed actor. */
  actor: string | null;
  created_at: string;
  modified: string;
  /** 1 until correlation has run on the latest version. */
  pending: number;
}

export interface IntelIncidentMembersTable {
  incident_id: string;
  member: string;
}

export interface IntelObservablesTable {
  incident_id: string;
  /** Observable type, or 'actor' / 'ttp'. */
  kind: string;
  norm_value: string;
  value: string;
}

export interface IntelValueCountsTable {
  kind: string;
  norm_value: string;
  incidents: number;
}

export interface IntelNarrativesTable {
  incident_id: string;
  idx: number;
  text: string;
  signature: string;
}

export interface IntelBandsTable {
  band_key: string;
  incident_id: string;
  /** The incident's release (as in intel_incidents) and its place among that release's carriers of the key. */
  author: string;
  tlp: string;
  audience: string;
  slot: number;
}

/** Per band key and release: the last slot given to a carrier (migration 104). */
export interface IntelBandReleasesTable {
  band_key: string;
  author: string;
  tlp: string;
  audience: string;
  n: number;
}

export interface IntelLinksTable {
  a: string;
  b: string;
  score: number;
  /** JSON array of reason texts. */
  reasons: string;
  created_at: string;
  updated_at: string;
}

export interface IntelCampaignsTable {
  id: string;
  name: string;
  author: string;
  tlp: string;
  audience: string;
  /** 'confirmed' or 'merged' (then merged_into names the campaign that absorbed it). */
  status: string;
  merged_into: string | null;
  confidence: number;
  created_at: string;
  modified: string;
}

export interface IntelCampaignIncidentsTable {
  campaign_id: string;
  incident_id: string;
}

export interface IntelResponsesTable {
  id: string;
  title: string;
  /** The incident or campaign the response answers. */
  target: string;
  /** The STIX course-of-action id. */
  course_of_action: string;
  author: string;
  tlp: string;
  audience: string;
  created_at: string;
  modified: string;
}

export interface IntelResponseTasksTable {
  response_id: string;
  member: string;
  /** planned | in-progress | done | declined */
  status: string;
  note: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** Random ids of the objects intel writes for an owner, by what each stands for (migration 033). */
export interface IntelChildIdsTable {
  owner_id: string;
  child_key: string;
  object_id: string;
}

/** A peer node this node pulls from (src/contexts/federation); `token` is sealed (platform/secrets.ts). */
export interface FederationPeersTable {
  id: string;
  name: string;
  url: string;
  user_name: string;
  token: string;
  /** Organisation codes the peer may deliver, comma-separated; null: any. */
  authors: string | null;
  /** A pinned certificate (PEM) for an HTTPS peer; null: the system's CA store. */
  ca: string | null;
  created_at: string;
  remote_node: string | null;
  state: string;
  cursor: string | null;
  lag_ms: number | null;
  received: number;
  refused: number;
  duplicates: number;
  errors: number;
  last_error: string | null;
  last_error_at: string | null;
  last_pull_at: string | null;
  caught_up_at: string | null;
}

/** A version received from a peer's node (`notice`: rebuilt here from a narrowing notice). */
export interface FederationReceivedTable {
  id: string;
  author: string;
  version: string;
  node: string;
  notice: number;
}

/** A version deleted from the store (migration 102): what names it, its release, and where the deletion came from. */
export interface ObjectDeletionsTable {
  added_us: number;
  date_added: string;
  id: string;
  type: string;
  version: string;
  author: string;
  tlp: string;
  audience: string;
  json: string;
  /** The node a received deletion came from; '' for a deletion made here. */
  origin: string;
}

/** Versions received from a peer's node, as a range of this store's added_us (migration 103). */
export interface FederationReceivedRangesTable {
  node: string;
  from_us: number;
  to_us: number;
}

export interface Schema {
  organisations: OrganisationsTable;
  users: UsersTable;
  tokens: TokensTable;
  console_sessions: ConsoleSessionsTable;
  objects: ObjectsTable;
  outbox: OutboxTable;
  taxii_status: TaxiiStatusTable;
  kv: KvTable;
  audit_log: AuditLogTable;
  council_proposals: CouncilProposalsTable;
  council_positions: CouncilPositionsTable;
  intel_incidents: IntelIncidentsTable;
  intel_incident_members: IntelIncidentMembersTable;
  intel_observables: IntelObservablesTable;
  intel_value_counts: IntelValueCountsTable;
  intel_narratives: IntelNarrativesTable;
  intel_bands: IntelBandsTable;
  intel_band_releases: IntelBandReleasesTable;
  intel_links: IntelLinksTable;
  intel_campaigns: IntelCampaignsTable;
  intel_campaign_incidents: IntelCampaignIncidentsTable;
  intel_responses: IntelResponsesTable;
  intel_response_tasks: IntelResponseTasksTable;
  intel_child_ids: IntelChildIdsTable;
  federation_peers: FederationPeersTable;
  federation_received: FederationReceivedTable;
  object_deletions: ObjectDeletionsTable;
  federation_received_ranges: FederationReceivedRangesTable;
}
