/**
 * What travels between nodes (docs/federation.md), both ways. Pure.
 *
 * Out: each version as the peer's user may read it, carrying its release (outbound.ts: the TLP as a
 * marking, the audience in the release extension) and its author as `created_by_ref` to that
 * organisation's fixed identity (cyber-observables, which have no `created_by_ref` in STIX 2.1, name
 * it in the federation extension). A version the peer's user may no longer read, although it could
 * read an older one, travels as a narrowing notice: the object's id, times, author and new release,
 * none of its content. A version its author deleted travels as a deletion notice of the same shape
 * (what names the version and its release as it was), to the peers whose user could read it.
 *
 * In: the author is the organisation whose identity the object names; the peer must be trusted for
 * it, the object must carry a TLP marking, and its audience is the release extension's.
 */
import { RELEASE_EXTENSION_ID, releasedObject } from '../../kernel/access/outbound.ts';
import { TLP2_MARKING_IDS, isTlp, tlpOfMarkingId, type Tlp } from '../../kernel/access/tlp.ts';
import { organisationIdentityId } from '../sharing/identity.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { audienceShapeProblem } from '../sharing/audience.ts';
import { tlpOf } from '../knowledge/knowledge.ts';
import { SCO_TYPES, nameUuid, versionKeyOf, type StixObject } from '../stix/stix.ts';
import { trusts, type Peer } from './peer.ts';

/** The TAXII collection peers pull from (fixed on every node). */
export const FEED_COLLECTION_ID = nameUuid('bulwark-collection:federation');
export const FEED_ALIAS = 'federation';
/** Bulwark's federation property extension: `author` (observables) and `notice` ("narrowed"). */
export const FEDERATION_EXTENSION_ID = 'extension-definition--7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
/** Request and answer header naming a node (echo suppression: what came from it is not sent back). */
export const NODE_HEADER = 'x-bulwark-node';

/** The federation collection's TAXII collection resource (listed for signed-in users). */
export function feedCollection(): Record<string, unknown> {
  return {
    id: FEED_COLLECTION_ID,
    title: 'Federation',
    description:
      'Every version the reader may read, as it travels between Bulwark nodes: author as created_by_ref, release as markings, narrowing and deletion notices; nothing received from the requesting node (X-Bulwark-Node).',
    alias: FEED_ALIAS,
    can_read: true,
    can_write: false,
    media_types: ['application/stix+json;version=2.1'],
  };
}

const ORG_OF_IDENTITY = new Map(ORGANISATIONS.map((o) => [organisationIdentityId(o.code), o.code]));
const KNOWN_ORGS = new Set(ORGANISATIONS.map((o) => o.code));

/** A stored version as the feed selects it. */
export interface FeedRow {
  id: string;
  added_us: number;
  date_added: string;
  author: string;
  tlp: string;
  audience: string;
  json: string;
  /** 1: the peer's user may not read this version but could read an older one: send a notice. */
  notice: number;
  /** 1: the version was deleted by its author (object_deletions; `json` names it): send a deletion. */
  deleted: number;
}

function isSco(obj: Record<string, unknown>): boolean {
  return typeof obj.type === 'string' && SCO_TYPES.has(obj.type);
}

function extensionsOf(obj: Record<string, unknown>): Record<string, unknown> {
  const e = obj.extensions;
  return e !== null && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>) : {};
}

/** The JSON of a row as it leaves for a peer. */
export function outbound(row: FeedRow): string {
  const held = { tlp: row.tlp as Tlp, audience: row.audience };
  const obj = JSON.parse(row.json) as Record<string, unknown>;
  if (row.deleted === 1) return JSON.stringify(notice(obj, row, 'deleted'));
  if (row.notice === 1) return JSON.stringify(notice(obj, row, 'narrowed'));
  const out = { ...releasedObject(obj, held) };
  if (isSco(out))
    out.extensions = {
      ...extensionsOf(out),
      [FEDERATION_EXTENSION_ID]: { extension_type: 'property-extension', author: row.author },
    };
  else out.created_by_ref = organisationIdentityId(row.author);
  return JSON.stringify(out);
}

function notice(obj: Record<string, unknown>, row: FeedRow, what: 'narrowed' | 'deleted'): Record<string, unknown> {
  const base: Record<string, unknown> = { type: obj.type, spec_version: obj.spec_version ?? '2.1', id: obj.id };
  if (obj.created !== undefined) base.created = obj.created;
  if (obj.modified !== undefined) base.modified = obj.modified;
  const marked = releasedObject(base, { tlp: row.tlp as Tlp, audience: row.audience });
  return {
    ...marked,
    ...(isSco(obj) ? {} : { created_by_ref: organisationIdentityId(row.author) }),
    extensions: {
      ...extensionsOf(marked),
      [FEDERATION_EXTENSION_ID]: { extension_type: 'property-extension', author: row.author, notice: what },
    },
  };
}

/** What a received object comes to. */
export type Inbound =
  | {
      /** 'notice': a narrowing (feed.ts); 'deleted': the author deleted this version. */
      kind: 'object' | 'notice' | 'deleted';
      obj: StixObject;
      author: string;
      tlp: Tlp;
      audience: string[];
      /** The store's version key (modified, else created; '' for observables). */
      version: string;
    }
  | { kind: 'refused'; id: string | undefined; reason: string };

/** A received object that was not refused. */
export type Received = Exclude<Inbound, { kind: 'refused' }>;

/** Reads one object of a peer's page; `peer` decides which authors it may deliver. */
export function inbound(value: unknown, peer: Pick<Peer, 'authors'>): Inbound {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { kind: 'refused', id: undefined, reason: 'not a JSON object' };
  const obj = value as StixObject;
  const id = typeof obj.id === 'string' ? obj.id.slice(0, 200) : undefined;
  const fed = extensionsOf(obj)[FEDERATION_EXTENSION_ID] as Record<string, unknown> | undefined;
  const named = typeof obj.created_by_ref === 'string' ? ORG_OF_IDENTITY.get(obj.created_by_ref) : undefined;
  const claimed = typeof fed?.author === 'string' ? fed.author : undefined;
  const author = named ?? (claimed !== undefined && KNOWN_ORGS.has(claimed) ? claimed : undefined);
  if (author === undefined) return { kind: 'refused', id, reason: "names no organisation's identity as its author" };
  if (named !== undefined && claimed !== undefined && claimed !== named)
    return { kind: 'refused', id, reason: 'names two different authors' };
  if (!trusts(peer, author))
    return { kind: 'refused', id, reason: `author ${author} is not one this peer may deliver` };
  const refs = Array.isArray(obj.object_marking_refs) ? (obj.object_marking_refs as unknown[]) : [];
  if (!refs.some((r) => typeof r === 'string' && tlpOfMarkingId(r) !== undefined))
    return { kind: 'refused', id, reason: 'carries no TLP marking' };
  const tlp = tlpOf(obj, 'red');
  const rel = extensionsOf(obj)[RELEASE_EXTENSION_ID] as Record<string, unknown> | undefined;
  const audience = rel === undefined || tlp === 'clear' ? [] : rel.audience;
  if (!Array.isArray(audience) || audience.some((a) => typeof a !== 'string'))
    return { kind: 'refused', id, reason: 'release extension: audience is not a list of organisation codes' };
  const codes = audience as string[];
  const shape = audienceShapeProblem(codes);
  if (shape || (rel !== undefined && tlp !== 'clear' && codes.length === 0) || codes.some((c) => !KNOWN_ORGS.has(c)))
    return { kind: 'refused', id, reason: `release extension: ${shape?.message ?? 'names no known organisation'}` };
  if (rel !== undefined && isTlp(rel.tlp) && rel.tlp !== tlp)
    return { kind: 'refused', id, reason: 'release extension and marking name different TLP levels' };
  return {
    kind: fed?.notice === 'narrowed' ? 'notice' : fed?.notice === 'deleted' ? 'deleted' : 'object',
    obj,
    author,
    tlp,
    audience: codes,
    version: versionKeyOf(obj),
  };
}

/**
 * The new version a notice makes of the copy this node holds (`held`, its latest version of the same
 * id and author): that content, under the notice's `modified` and release, so that every read path
 * here applies the narrowing (a version is readable only under its own release and the current one).
 * Nothing of the narrowed content reaches this node.
 */
export function narrowedCopy(held: Record<string, unknown>, n: Received): StixObject {
  const own = Array.isArray(held.object_marking_refs) ? (held.object_marking_refs as unknown[]) : [];
  const kept = own.filter((r) => !(typeof r === 'string' && tlpOfMarkingId(r) !== undefined));
  const exts = { ...extensionsOf(held) };
  delete exts[RELEASE_EXTENSION_ID];
  delete exts[FEDERATION_EXTENSION_ID];
  if (n.audience.length > 0)
    exts[RELEASE_EXTENSION_ID] = { extension_type: 'property-extension', tlp: n.tlp, audience: n.audience };
  const out: Record<string, unknown> = {
    ...held,
    object_marking_refs: [...kept, TLP2_MARKING_IDS[n.tlp]],
    ...(n.obj.modified !== undefined ? { modified: n.obj.modified } : {}),
  };
  if (Object.keys(exts).length > 0) out.extensions = exts;
  else delete out.extensions;
  return out as StixObject;
}
