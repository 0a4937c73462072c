/**
 * Which incidents become correlation candidates (pure). A link X–Y is read by the organisations that read both
 * ends; if a cap chose Y among all candidates, hidden ones included, a missing link would tell its readers that
 * hidden incidents took its place. So candidates are chosen per release (author, TLP, audience) of the
 * candidate: every incident of one release has the same readers, so the readers of a link to any of them read
 * every incident that competed with it. Each release keeps at most `perRelease` (most evidence first, then id).
 *
 * The total is bounded per author: an author's releases are taken widest first (`releaseRank`, then the release
 * itself) until `perAuthor` candidates. So an organisation padding with its own incidents fills only its own
 * share, and other authors' incidents never change which of an author's incidents are chosen. What remains: an
 * author with more than `perAuthor` candidates in several releases has its narrower releases cut first, which
 * depends on its wider ones (readable by the narrower ones' readers when the releases nest, as TLP levels without
 * audience do; not always across different audiences). No bound independent of hidden data exists otherwise:
 * incidents under many incomparable audiences each have readers that read none of the others.
 */
import type { Releasable } from '../../kernel/access/releasability.ts';

export interface Candidate<R extends Releasable = Releasable> {
  id: string;
  release: R;
  /** How many pieces of evidence link it to the incident being correlated. */
  evidence: number;
}

/**
 * Widest releases first: TLP:CLEAR, then GREEN and AMBER without audience, then an audience, then the author
 * alone. The SQL of the candidate reads orders an author's releases the same way (correlation.repository.ts).
 */
export function releaseRank(r: Releasable): number {
  if (r.tlp === 'clear') return 0;
  if (r.audience.length === 0 && r.tlp === 'green') return 1;
  if (r.audience.length === 0 && r.tlp === 'amber') return 2;
  if (r.audience.length > 0) return 3;
  return 4;
}

export function releaseKey(r: Releasable): string {
  return `${r.author}\u0000${r.tlp}\u0000${[...r.audience].sort().join(',')}`;
}

/** The candidates kept: at most `perRelease` per release and `perAuthor` per author (see above). */
export function chooseCandidates<R extends Releasable>(
  candidates: ReadonlyArray<Candidate<R>>,
  perRelease: number,
  perAuthor: number,
): Array<Candidate<R>> {
  const byRelease = new Map<string, Array<Candidate<R>>>();
  for (const c of candidates) {
    const key = releaseKey(c.release);
    const list = byRelease.get(key);
    if (list) list.push(c);
    else byRelease.set(key, [c]);
  }
  const byAuthor = new Map<string, Array<{ key: string; rank: number; kept: Array<Candidate<R>> }>>();
  for (const [key, list] of byRelease) {
    const kept = [...list]
      .sort((a, b) => b.evidence - a.evidence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, perRelease);
    const first = kept[0]!;
    const releases = byAuthor.get(first.release.author) ?? [];
    releases.push({ key, rank: releaseRank(first.release), kept });
    byAuthor.set(first.release.author, releases);
  }
  const out: Array<Candidate<R>> = [];
  for (const releases of byAuthor.values()) {
    releases.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let budget = perAuthor;
    for (const r of releases) {
      if (budget <= 0) break;
      out.push(...r.kept.slice(0, budget));
      budget -= Math.min(budget, r.kept.length);
    }
  }
  return out;
}

/**
 * The links kept of those scored for one incident: at most `max` per release and `max` per author of the other
 * incident, highest score first (then by id), by the rule candidates are chosen by and for the same reasons: a
 * link its readers see never gives way to one they may not see, and one author's links never to another's.
 * Without it, reports of one claim linked each to every report of it before (up to `maxCandidates` per
 * author), so a surge of n such reports wrote and announced about n²/2 links.
 */
export function strongestLinks<R extends Releasable>(
  links: ReadonlyArray<{ id: string; release: R; score: number }>,
  max: number,
): Set<string> {
  const kept = chooseCandidates(
    links.map((l) => ({ id: l.id, release: l.release, evidence: l.score })),
    max,
    max,
  );
  return new Set(kept.map((c) => c.id));
}
