import type { Releasable } from '../../kernel/access/releasability.ts';
import { toReleasable } from '../knowledge/knowledge.service.ts';
import {
  commonFor,
  linkReaders,
  proximity,
  readableIn,
  scoreLink,
  ttpOverlap,
  type CorrelationSettings,
  type Evidence,
  type ReleaseClass,
} from './correlation.ts';
import { bandKeys, decodeSignature, similarity } from './fingerprint.ts';
import type { IncidentRow, IntelRepository } from './intel.repository.ts';
import type { ObservableType } from './observable.ts';
import { CorrelationQueries } from './correlation.repository.ts';
import { chooseCandidates, strongestLinks } from './candidates.ts';

/**
 * Up to this many distinct releases of a widely carried value, its carriers are counted per link in memory from
 * their releases; past it, by a count in SQL for each set of link readers. The verdict is the same either way.
 */
export const MAX_RELEASE_CLASSES = 256;

/**
 * At most this many releases of each author are probed for candidates sharing a widely carried value, widest
 * first (candidates.ts): an organisation padding a value with releases of its own fills only its own share.
 */
export const MAX_RELEASES_PER_AUTHOR = 32;

/** Rows of the intel index read per statement when looking up many incidents. */
const CHUNK = 500;

/** The release of an incident as the intel index stores it. */
export type LinkEnd = Pick<IncidentRow, 'author' | 'tlp' | 'audience'>;

/**
 * What `find` found for an incident: what the write of its links needs, and no more (a batch holds it for each of
 * its incidents until the write).
 */
export interface Found {
  /** The incident: its version and release. */
  row: LinkEnd & Pick<IncidentRow, 'id' | 'modified'>;
  /** Every incident the evidence links it to (among the candidates), scored. */
  links: Map<string, { score: number; reasons: string[] }>;
  /** Those it may newly link to: at most maxLinks per release and per author (strongestLinks). */
  kept: Set<string>;
  /** The release of each incident in `links`. */
  ends: Map<string, LinkEnd>;
}

/**
 * Finds the links of one incident from the intel index. Every lookup is an indexed probe bounded per author (at most
 * maxCandidates candidates and MAX_RELEASES_PER_AUTHOR releases of a widely carried value for each), so the cost per
 * incident does not grow with the store. Reads only, no rules of its own about writing.
 */
export class CorrelationFinder {
  private readonly queries: CorrelationQueries;

  constructor(private readonly repo: IntelRepository) {
    this.queries = new CorrelationQueries(repo.db);
  }

  /** Finds the links of `id` under settings `s` (pure read; no writes). */
  async find(id: string, s: CorrelationSettings): Promise<Found | undefined> {
    const row = await this.repo.incident(this.repo.db, id);
    if (!row) return undefined;
    const values = await this.repo.valuesOf([id]);
    const evidence = new Map<string, Evidence[]>();
    const add = (other: string, e: Evidence) => {
      const list = evidence.get(other);
      if (list) list.push(e);
      else evidence.set(other, [e]);
    };
    const counts = await this.repo.valueCounts(values.map((v) => ({ kind: v.kind, norm: v.norm_value })));
    /** This incident's values carried by more than the threshold of incidents in all, by kind and normalised value. */
    const commons = new Map<string, Evidence>();
    const ttpCandidates = new Set<string>();
    const probe: typeof values = [];
    const wide: typeof values = [];
    for (const v of values) {
      if ((counts.get(`${v.kind}\u0000${v.norm_value}`) ?? 0) > s.commonThreshold) {
        commons.set(`${v.kind}\u0000${v.norm_value}`, {
          kind: 'common',
          type: v.kind,
          value: v.kind === 'ttp' || v.kind === 'actor' ? v.value : v.norm_value,
        });
        wide.push(v);
      } else probe.push(v);
    }
    const shown = new Map(values.map((v) => [`${v.kind}\u0000${v.norm_value}`, v.value]));
    const hit = (other: string, kind: string, norm: string) => {
      if (kind === 'ttp') ttpCandidates.add(other);
      else if (kind === 'actor') add(other, { kind: 'actor', name: shown.get(`actor\u0000${norm}`) ?? norm });
      else add(other, { kind: 'observable', type: kind as ObservableType, value: norm });
    };
    // Each probed value is carried by at most commonThreshold incidents, so this read is bounded.
    for (const h of await this.repo.withValues(
      probe.map((v) => ({ kind: v.kind, norm: v.norm_value })),
      id,
      (s.commonThreshold + 1) * Math.max(1, probe.length),
    ))
      hit(h.incident_id, h.kind, h.norm_value);
    // A value carried more widely is common for a link only when more than the threshold of its carriers are
    // readable by every reader of the link; hidden carriers decide nothing (commonFor). Counted once per value
    // and set of link readers: from the releases of its carriers when there are at most MAX_RELEASE_CLASSES of
    // them, else by a count in SQL stopped at threshold + 1.
    const releases = new Map<string, ReleaseClass[] | undefined>();
    const verdicts = new Map<string, boolean>();
    const isCommon = async (kind: string, norm: string, other: Releasable): Promise<boolean> => {
      const readers = linkReaders(toReleasable(row), other);
      const key = `${kind}\u0000${norm}\u0000${readers.join(',')}`;
      let common = verdicts.get(key);
      if (common === undefined) {
        const all = releases.get(`${kind}\u0000${norm}`);
        const n = all
          ? readableIn(readers, all)
          : await this.queries.readableCarriers(kind, norm, readers, s.commonThreshold + 1);
        common = commonFor(readers, n, s.commonThreshold);
        verdicts.set(key, common);
      }
      return common;
    };
    /** `${other}\0${kind}\0${norm}` for each wide value already counted as evidence. */
    const counted = new Set<string>();
    for (const v of wide) {
      const classes = await this.queries.valueReleases(v.kind, v.norm_value, MAX_RELEASES_PER_AUTHOR);
      const perAuthor = new Map<string, number>();
      const probed: typeof classes = [];
      for (const c of classes) {
        const n = (perAuthor.get(c.author) ?? 0) + 1;
        perAuthor.set(c.author, n);
        if (n <= MAX_RELEASES_PER_AUTHOR) probed.push(c);
      }
      releases.set(
        `${v.kind}\u0000${v.norm_value}`,
        probed.length < classes.length || classes.length > MAX_RELEASE_CLASSES
          ? undefined
          : classes.map((c) => ({ ...toReleasable(c), incidents: c.incidents })),
      );
      const open: typeof classes = [];
      for (const c of probed) if (!(await isCommon(v.kind, v.norm_value, toReleasable(c)))) open.push(c);
      // A release it is not common for holds at most the threshold of carriers (all readable by the link's
      // readers), so this read is bounded too.
      for (const other of await this.repo.withValueIn(
        v.kind,
        v.norm_value,
        open,
        id,
        s.commonThreshold * Math.max(1, open.length),
      )) {
        hit(other, v.kind, v.norm_value);
        counted.add(`${other}\u0000${v.kind}\u0000${v.norm_value}`);
      }
    }
    await this.narrativeEvidence(row, add, s);
    if (ttpCandidates.size > 0) {
      const mine = values.filter((v) => v.kind === 'ttp').map((v) => v.norm_value);
      const theirs = new Map<string, string[]>();
      for (const t of await this.repo.valuesOf([...ttpCandidates], ['ttp']))
        theirs.set(t.incident_id, [...(theirs.get(t.incident_id) ?? []), t.norm_value]);
      for (const [other, ttps] of theirs) {
        const e = ttpOverlap(mine, ttps);
        if (e) add(other, e);
      }
    }
    // Candidates are chosen per release of the candidate, so hidden incidents never take a visible one's place
    // (chooseCandidates): at most maxCandidates per release and per author.
    const found = new Map<string, IncidentRow>();
    const ids = [...evidence.keys()];
    for (let i = 0; i < ids.length; i += CHUNK)
      for (const r of await this.repo.incidents(ids.slice(i, i + CHUNK))) found.set(r.id, r);
    const chosen = chooseCandidates(
      [...found.values()].map((r) => ({ id: r.id, release: toReleasable(r), evidence: evidence.get(r.id)!.length })),
      s.maxCandidates,
      s.maxCandidates,
    );
    const candidates = chosen.map((c): [string, Evidence[]] => [c.id, evidence.get(c.id)!]);
    const rows = new Map(chosen.map((c) => [c.id, found.get(c.id)!]));
    const theirCommons = new Set<string>();
    if (commons.size > 0) {
      const wanted = wide.map((v) => ({ kind: v.kind, norm: v.norm_value }));
      const chosenIds = [...rows.keys()];
      for (let i = 0; i < chosenIds.length; i += CHUNK)
        for (const v of await this.queries.carriersAmong(chosenIds.slice(i, i + CHUNK), wanted))
          theirCommons.add(`${v.incident_id}\u0000${v.kind}\u0000${v.norm_value}`);
    }
    const links = new Map<string, { score: number; reasons: string[] }>();
    for (const [other, ev] of candidates) {
      const r = rows.get(other);
      if (!r) continue;
      const near = proximity(
        { occurredAt: row.occurred_at, lat: row.lat, lon: row.lon },
        { occurredAt: r.occurred_at, lat: r.lat, lon: r.lon },
        s,
      );
      const all = [...ev, ...(near ? [near] : [])];
      for (const [key, common] of commons) {
        if (!theirCommons.has(`${other}\u0000${key}`)) continue;
        const [kind = '', norm = ''] = key.split('\u0000');
        if (await isCommon(kind, norm, toReleasable(r))) all.push(common);
        else if (!counted.has(`${other}\u0000${key}`) && kind !== 'ttp')
          all.push(
            kind === 'actor'
              ? { kind: 'actor', name: shown.get(key) ?? norm }
              : { kind: 'observable', type: kind as ObservableType, value: norm },
          );
      }
      const scored = scoreLink(all, s);
      if (scored) links.set(other, scored);
    }
    const kept = strongestLinks(
      [...links].map(([other, l]) => ({ id: other, release: toReleasable(rows.get(other)!), score: l.score })),
      s.maxLinks,
    );
    // What the write needs: the incident's version and release, and the release of each incident linked.
    const ends = new Map<string, LinkEnd>();
    for (const other of links.keys()) {
      const r = rows.get(other)!;
      ends.set(other, { author: r.author, tlp: r.tlp, audience: r.audience });
    }
    const self = { id: row.id, author: row.author, tlp: row.tlp, audience: row.audience, modified: row.modified };
    return { row: self, links, kept, ends };
  }

  private async narrativeEvidence(
    row: IncidentRow,
    add: (other: string, e: Evidence) => void,
    s: CorrelationSettings,
  ): Promise<void> {
    const id = row.id;
    const mine = (await this.repo.narrativesOf([id]))
      .map((n) => decodeSignature(n.signature))
      .filter((x): x is Uint32Array => x !== undefined);
    if (mine.length === 0) return;
    const keys = [...new Set(mine.flatMap((sig) => bandKeys(sig)))];
    // For each author at most maxCandidates, widest releases first: others' incidents never take their place.
    const others = await this.queries.bandCarriers(keys, row, s.maxCandidates, s.narrativeCarriers);
    const best = new Map<string, number>();
    for (const n of await this.repo.narrativesOf(others)) {
      const sig = decodeSignature(n.signature);
      if (!sig) continue;
      for (const m of mine) best.set(n.incident_id, Math.max(best.get(n.incident_id) ?? 0, similarity(m, sig)));
    }
    for (const [other, sim] of best)
      if (sim >= s.narrativeThreshold) add(other, { kind: 'narrative', similarity: sim });
  }
}
