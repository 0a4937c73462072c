import type { Tlp } from './tlp.ts';
import type { OrgKind } from './organisation.ts';

/**
 * The releasability table of the public contract, as one pure function. Every read path either
 * calls canRead or the SQL compiled from the same rule (releasability.query.ts); property tests
 * prove the two agree.
 *
 * | tlp          | no audience                 | audience given |
 * | clear        | everyone, also anonymous    | everyone       |
 * | green        | every organisation          | audience       |
 * | amber        | every member (not partners) | audience       |
 * | amber+strict | author only                 | audience       |
 * | red          | author only                 | audience       |
 * The author always reads its own objects.
 */
export interface Releasable {
  author: string;
  tlp: Tlp;
  audience: readonly string[];
}

/** Who is reading: an organisation, anonymous (public collection), or a named system actor. */
export type Reader =
  { kind: 'org'; org: string; orgKind: OrgKind } | { kind: 'anonymous' } | { kind: 'system'; name: string };

export function canRead(reader: Reader, obj: Releasable): boolean {
  if (reader.kind === 'system') return true;
  if (obj.tlp === 'clear') return true;
  if (reader.kind === 'anonymous') return false;
  if (obj.author === reader.org) return true;
  if (obj.audience.length > 0) return obj.audience.includes(reader.org);
  switch (obj.tlp) {
    case 'green':
      return true;
    case 'amber':
      return reader.orgKind === 'member';
    case 'amber+strict':
    case 'red':
      return false;
  }
}

/** Storage form of an audience: ",PL,LT," (sorted, deduplicated) or "" for none. */
export function encodeAudience(audience: readonly string[]): string {
  if (audience.length === 0) return '';
  return `,${[...new Set(audience)].sort().join(',')},`;
}

export function decodeAudience(stored: string): string[] {
  return stored === '' ? [] : stored.slice(1, -1).split(',');
}
