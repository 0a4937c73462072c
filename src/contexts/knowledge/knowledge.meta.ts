/** A stored version's release and origin, as the other contexts read it. */
import { decodeAudience } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import type { StoredRow } from './knowledge.rows.ts';

export interface ObjectMeta {
  author: string;
  tlp: string;
  audience: string[];
  dateAdded: string;
}

export function metaOf(r: StoredRow): ObjectMeta {
  return { author: r.author, tlp: r.tlp, audience: decodeAudience(r.audience), dateAdded: r.date_added };
}

export function toReleasable(r: Pick<StoredRow, 'author' | 'tlp' | 'audience'>): {
  author: string;
  tlp: Tlp;
  audience: string[];
} {
  return { author: r.author, tlp: r.tlp as Tlp, audience: decodeAudience(r.audience) };
}
