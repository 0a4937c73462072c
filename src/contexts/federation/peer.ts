/**
 * Peers: the other nodes this node pulls intelligence from over TAXII 2.1 (docs/federation.md). Pure:
 * the rules for a peer's address, the authors it may deliver, the wait between attempts, and the lag.
 */
import { isOrgCodeShape } from '../sharing/organisations.ts';
import type { Problem } from '../stix/validate.ts';

/** What a peer's runner is doing: `idle` (no server process pulls), `connecting`, `connected`, `retrying`. */
export type PeerStateName = 'idle' | 'connecting' | 'connected' | 'retrying';

export interface Peer {
  id: string;
  name: string;
  /** The peer's TAXII 2.1 API root, ending in a slash. */
  url: string;
  user: string;
  /** Organisations whose objects the peer may deliver; null: any (a trusted hub). */
  authors: string[] | null;
  /** A pinned certificate (PEM) for an HTTPS peer; null: the system's CA store. */
  ca: string | null;
  createdAt: string;
}

export interface PeerState {
  state: PeerStateName;
  /** The peer's node id, learnt from its answers (X-Bulwark-Node). */
  remoteNode: string | null;
  /** The X-TAXII-Date-Added-Last of the last page stored: the next pull's added_after. */
  cursor: string | null;
  lagMs: number | null;
  received: number;
  refused: number;
  duplicates: number;
  errors: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastPullAt: string | null;
  caughtUpAt: string | null;
}

export const INITIAL_STATE: PeerState = {
  state: 'idle',
  remoteNode: null,
  cursor: null,
  lagMs: null,
  received: 0,
  refused: 0,
  duplicates: 0,
  errors: 0,
  lastError: null,
  lastErrorAt: null,
  lastPullAt: null,
  caughtUpAt: null,
};

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.']);

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Whether a URL's host (as the URL parser normalised it) is this machine: 127.0.0.0/8, [::1] or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname.toLowerCase()) || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname);
}

/**
 * The API root as stored (a trailing slash added), or the problem with it. Tokens go only over HTTPS,
 * or plain HTTP to loopback; no credentials, query or fragment in the URL (the token has its own field).
 * Peer URLs are set by the node's operators, so private addresses are allowed.
 */
export function normalisePeerUrl(raw: string): string | Problem {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { property: 'url', message: 'is not a URL (e.g. https://pl.bulwark.example/taxii2/alliance/)' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return { property: 'url', message: `must be https (or http to loopback), not ${u.protocol}` };
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname))
    return { property: 'url', message: 'plain http is allowed only to loopback; tokens travel only over https' };
  if (u.username || u.password || u.search || u.hash)
    return { property: 'url', message: 'must not carry credentials, a query or a fragment' };
  if (!u.pathname.includes('/taxii2/'))
    return { property: 'url', message: "must be the peer's TAXII API root (…/taxii2/alliance/)" };
  return `${u.origin}${u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`}`;
}

/** The peer's live stream, beside its TAXII server: `<base>/api/v1/stream` for `<base>/taxii2/<root>/`. */
export function streamUrlOf(apiRoot: string): string {
  const at = apiRoot.indexOf('/taxii2/');
  return `${apiRoot.slice(0, at)}/api/v1/stream`;
}

/** Authors given as a list or "PL,LT": upper-cased, deduplicated, sorted; [] is refused (it would trust nobody). */
export function parseAuthors(v: readonly string[] | string): string[] | Problem {
  const list = (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (list.length === 0)
    return { property: 'authors', message: 'names no organisation; leave it out to accept any author' };
  if (list.length > 64) return { property: 'authors', message: 'names more than 64 organisations' };
  const bad = list.find((c) => !isOrgCodeShape(c));
  if (bad !== undefined)
    return { property: 'authors', message: `"${bad.slice(0, 10)}" is not a two-letter organisation code` };
  return [...new Set(list)].sort();
}

/** Whether a peer may deliver objects of `author`. */
export function trusts(peer: Pick<Peer, 'authors'>, author: string): boolean {
  return peer.authors === null || peer.authors.includes(author);
}

/**
 * The wait before attempt `attempt` (0 for the first retry): exponential from `base`, bounded by `max`,
 * with jitter over its upper half so that nodes cut off together do not return in step.
 */
export function backoffMs(attempt: number, base: number, max: number, random: number): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

/**
 * How far behind the peer this node is: while the peer is reachable, the delay of the last page
 * stored (the time it was stored minus the newest date_added it held), 0 when nothing was waiting;
 * while it is not, the time since the node last knew it held everything.
 */
export function lagOf(s: Pick<PeerState, 'state' | 'caughtUpAt' | 'lagMs'>, nowMs: number): number | null {
  if (s.state === 'connected') return s.lagMs;
  if (s.caughtUpAt === null) return null;
  return Math.max(0, nowMs - Date.parse(s.caughtUpAt));
}
