import type { Releasable } from '../../kernel/access/releasability.ts';
import type { OutgoingEvent } from '../../platform/events/outbox.ts';
import { nameUuid } from '../stix/stix.ts';

/** One link as a `correlation.found` event names it. */
export interface AnnouncedLink {
  /** The link's id (linkId). */
  id: string;
  incidents: [string, string];
  score: number;
  reasons: string[];
}

/**
 * The `correlation.found` events of one correlated incident: one per link release (the organisations that read both
 * ends), not one per link. In a surge of one claim each report linked to up to 5 incidents of every author, about
 * 140 links with 31 authors, and every link was an event for every stream: 28 events per report over 2,000 reports
 * (bench/RESULTS.md). A release's event carries its strongest link as a lone link's event does (`incidents`,
 * `score`, `reasons`, and the link's id when it is alone), and, when there are more, every link under `links`,
 * strongest first. Every link of an event has the event's release, so a reader of the event reads each of them.
 */
export class Announcements {
  private readonly byRelease = new Map<string, { release: Releasable; links: AnnouncedLink[] }>();
  /** Release keys by the release as given: the readers of a surge's links come in one order, sorted once. */
  private readonly keys = new Map<string, string>();

  constructor(private readonly incident: string) {}

  add(release: Releasable, link: AnnouncedLink): void {
    const given = `${release.author}\u0000${release.tlp}\u0000${release.audience.join(',')}`;
    let key = this.keys.get(given);
    if (key === undefined) this.keys.set(given, (key = releaseKey(release)));
    const group = this.byRelease.get(key);
    if (group) group.links.push(link);
    else this.byRelease.set(key, { release, links: [link] });
  }

  events(): OutgoingEvent[] {
    return [...this.byRelease].map(([key, { release, links }]) => {
      links.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      const top = links[0]!;
      return {
        event: 'correlation.found',
        // One link: the link itself. Several: the incident's announcement to that release, the same id each time.
        objectId: links.length === 1 ? top.id : `relationship--${nameUuid(`bulwark-links|${this.incident}|${key}`)}`,
        ...release,
        payload: {
          incidents: top.incidents,
          score: top.score,
          reasons: top.reasons,
          ...(links.length > 1 ? { links } : {}),
        },
      };
    });
  }
}

function releaseKey(r: Releasable): string {
  return `${r.author}\u0000${r.tlp}\u0000${[...r.audience].sort().join(',')}`;
}
