/** The shapes the knowledge store's repository reads and writes (no behaviour). */
import type { Kysely, Selectable } from 'kysely';
import type { ObjectsTable, Schema } from '../../platform/db/schema.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import type { Framed } from '../../platform/db/framed.ts';

export type Executor = Kysely<Schema>;

/** Which objects a collection (or the REST API) presents before releasability is applied. */
export type Scope = { kind: 'all' } | { kind: 'author'; org: string } | { kind: 'public' };

export type VersionMatch = 'first' | 'last' | 'all' | { key: string };

export interface ObjectQuery {
  reader: Reader;
  scope: Scope;
  ids?: readonly string[];
  types?: readonly string[];
  specVersions?: readonly string[];
  /** Defaults to ['last']. */
  versions?: readonly VersionMatch[];
  addedAfterUs?: number;
  /** Inclusive upper bound on date_added, e.g. for an export snapshot. */
  addedUntilUs?: number;
  limit?: number;
}

/** A stored version, as selected. */
export type StoredRow = Selectable<ObjectsTable>;

/** A version to insert. `added_us` identifies it (strictly increasing per store); its JSON may come as UTF-8 bytes. */
export type NewRow = Omit<StoredRow, 'json'> & { json: string | Uint8Array };

/** What a TAXII page needs of a version. */
export type PageRow = Pick<StoredRow, 'id' | 'added_us' | 'date_added' | 'json'>;

export type PageMeta = Omit<PageRow, 'json'>;

/** What a manifest or versions list needs of a version: `version` is its modified, else created, else date_added. */
export type VersionRow = PageMeta & { version: string };

export interface JoinedPage {
  /** Rows joined. */
  count: number;
  /** Whether rows matched after them (beyond `joinFirst` or the byte bound). */
  more: boolean;
  first: PageMeta | undefined;
  /** The last joined row. */
  last: PageMeta | undefined;
  /** The joined JSON and the frame's suffix, with the frame's room in front (see Framed). */
  json: Framed;
}

export interface Frame {
  room: number;
  suffix: string;
}

export type ExistingRow = Pick<StoredRow, 'id' | 'version' | 'json' | 'author' | 'tlp' | 'audience' | 'is_latest'>;
