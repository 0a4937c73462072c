/** The registers' tables (migrations 050, 051), added to the store's schema with Kysely's withTables. */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';

export interface SupportEntriesTable {
  id: string;
  author: string;
  created_by: string;
  recipient: string;
  avenue: string;
  description: string;
  amount_minor: number | string | null;
  currency: string | null;
  pledged_at: string;
  status: string;
  source: string | null;
  source_grade: string | null;
  tlp: string;
  audience: string;
  created_at: string;
  modified: string;
  version: number;
}

export interface SupportHistoryTable {
  entry_id: string;
  seq: number;
  status: string;
  at: string;
  by_user: string;
}

export interface SupportTotalsTable {
  recipient: string;
  avenue: string;
  author: string;
  tlp: string;
  audience: string;
  currency: string;
  status: string;
  entries: number | string;
  amount_minor: number | string;
}

export interface DiplomaticEventsTable {
  id: string;
  author: string;
  created_by: string;
  title: string;
  kind: string;
  started_at: string;
  ended_at: string | null;
  parties: string;
  status: string;
  summary: string;
  sources: string;
  tlp: string;
  audience: string;
  created_at: string;
  modified: string;
}

export interface HumanitarianNeedsTable {
  id: string;
  author: string;
  created_by: string;
  area: string;
  sector: string;
  people_in_need: number | string;
  people_reached: number | string | null;
  required_minor: number | string | null;
  required_currency: string | null;
  received_minor: number | string | null;
  received_currency: string | null;
  as_of: string;
  source: string;
  tlp: string;
  audience: string;
  created_at: string;
  modified: string;
}

// A type alias (not an interface): withTables needs the index signature a type literal has.
export type RegistersTables = {
  support_entries: SupportEntriesTable;
  support_history: SupportHistoryTable;
  support_totals: SupportTotalsTable;
  support_totals_generation: { id: number; n: number | string };
  diplomatic_events: DiplomaticEventsTable;
  humanitarian_needs: HumanitarianNeedsTable;
};

export type RegistersDb = Kysely<Schema & RegistersTables>;
export type Exec = RegistersDb | Transaction<Schema & RegistersTables>;

/** The store with the registers' tables known to the query builder. */
export function registersDb(db: Kysely<Schema>): RegistersDb {
  return db.withTables<RegistersTables>();
}

/** A transaction of the store, seen with the registers' tables. */
export function registersTrx(trx: Transaction<Schema>): Transaction<Schema & RegistersTables> {
  return trx.withTables<RegistersTables>();
}

/** PostgreSQL answers bigint columns and sums as strings. */
export function num(v: number | string | bigint | null): number {
  return v === null ? 0 : Number(v);
}
