import { canRead, type Reader, type Releasable } from '../../kernel/access/releasability.ts';
import type { PublishedEvent } from './event.ts';

/**
 * The current release of the stored objects an event names: its own object (as stored by the event's
 * author) and the incidents a `correlation.found` links (each of its `links`, when it announces several).
 * Keyed by object id; each id maps to the latest version of every author that stores it (one, except for cyber
 * observables).
 */
export type CurrentReleases = ReadonlyMap<string, ReadonlyArray<Releasable>>;

/** Reads the current releases of the objects a batch of events names (one query per batch). */
export interface CurrentReleaseSource {
  currentReleases(events: readonly PublishedEvent[]): Promise<CurrentReleases>;
}

/** The ids of the stored objects whose current release bounds an event's (its object, and linked incidents). */
export function namedObjects(e: PublishedEvent): string[] {
  // A Set: an announcement of up to about 190 links names the correlated incident in every one.
  const ids = new Set([e.objectId]);
  if (e.event === 'correlation.found' && e.payload.includes('"incidents"')) {
    try {
      const p = JSON.parse(e.payload) as { incidents?: unknown; links?: unknown };
      const add = (incidents: unknown) => {
        if (Array.isArray(incidents)) for (const i of incidents) if (typeof i === 'string') ids.add(i);
      };
      add(p.incidents);
      // An incident's links to one release announced together (intel's Announcements): every one bounds the event.
      if (Array.isArray(p.links)) for (const l of p.links) add((l as { incidents?: unknown } | null)?.incidents);
    } catch {
      // A payload that is not JSON names nothing more.
    }
  }
  return [...ids];
}

/**
 * The releases that bound who may still receive `e` now: the current version of every object the event
 * names (its own object as its author stores it; a linked incident under whichever author holds it).
 * Computed once per event, then checked per subscriber with `withinBounds`. Objects the store does not
 * hold (council proposals, links) bound nothing.
 */
export function boundsOf(e: PublishedEvent, current: CurrentReleases): Releasable[] {
  const bounds: Releasable[] = [];
  for (const id of namedObjects(e)) {
    const versions = current.get(id);
    if (!versions) continue;
    for (const v of versions) if (id !== e.objectId || v.author === e.author) bounds.push(v);
  }
  return bounds;
}

/** Whether `reader` may read every release in `bounds` (see boundsOf). */
export function withinBounds(reader: Reader, bounds: readonly Releasable[]): boolean {
  if (reader.kind === 'system') return true;
  for (const b of bounds) if (!canRead(reader, b)) return false;
  return true;
}

/**
 * Whether `reader` may still receive `e` now: it may read the event as released (checked separately),
 * and the current version of every object the event names. An event is released with the version it
 * announces; when the author narrows the object after the relay read the event, the narrowing wins, as
 * it does on replay (issue 12: narrowing is retroactive, widening never reopens an older version).
 */
export function stillReleased(reader: Reader, e: PublishedEvent, current: CurrentReleases): boolean {
  return withinBounds(reader, boundsOf(e, current));
}
