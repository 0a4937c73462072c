/**
 * The live feed in words: one sentence per stream event ("LT incident “A” linked to PL incident “B”:
 * shared IP …"), naming incidents by their title and the member they concern. Pure: the incidents an
 * event names come from `incident`, which answers what the reader has already loaded (or undefined).
 */
import type { StreamEvent } from '../api/types.ts';

/** What the feed needs of an incident an event names. */
export interface IncidentGist {
  title: string;
  author: string;
  affectedMembers: readonly string[];
}

export type IncidentLookup = (id: string) => IncidentGist | undefined;

const STATUS: Record<string, string> = {
  circulating: 'circulating',
  adopted: 'adopted',
  'adopted-with-reservations': 'adopted with reservations',
  'silence-broken': 'silence broken',
  withdrawn: 'withdrawn',
  superseded: 'superseded',
};

const KIND: Record<string, string> = {
  'coordinated-response': 'coordinated response',
  'article-4-consultation': 'Article 4 consultation',
  'article-5-determination': 'Article 5 determination',
  'deployment-mandate': 'deployment mandate',
  'support-package': 'support package',
  'public-statement': 'public statement',
};

function obj(data: unknown): Record<string, unknown> {
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** "cyber incident", "economic pressure incident": the category in words. */
export function categoryWords(c: string | undefined): string {
  return c ? c.replace(/-/g, ' ') : 'an';
}

function quoted(title: string | undefined): string {
  return title ? `“${title}”` : 'an incident you may not read';
}

/** "LT incident “Title”": the member it concerns (else its author) and its title. */
function incidentPhrase(id: string, lookup: IncidentLookup): string {
  const i = lookup(id);
  if (!i) return 'an incident (loading…)';
  const who = i.affectedMembers[0] ?? i.author;
  return `${who} incident ${quoted(i.title)}`;
}

/** The sentence an event reads as. */
export function sentenceOf(e: StreamEvent, lookup: IncidentLookup = () => undefined): string {
  const d = obj(e.data);
  const title = str(d.title);
  const members = strings(d.affectedMembers);
  const where = members.length ? ` (${members.join(', ')})` : '';
  switch (e.event) {
    case 'incident.created':
      return `New ${categoryWords(str(d.category))} incident${where}: ${quoted(title)}`;
    case 'incident.updated':
      return `Incident ${quoted(title)} revised${where}`;
    case 'correlation.found': {
      const [a, b] = strings(d.incidents);
      const score = typeof d.score === 'number' ? ` (${Math.round(d.score * 100)}% alike)` : '';
      const reasons = strings(d.reasons);
      const why = reasons.length ? `: ${reasons.join('; ')}` : '';
      // Several links to one release come in one event, the strongest first (its incidents, score and reasons).
      const others = Array.isArray(d.links) ? d.links.length - 1 : 0;
      const more = others > 0 ? `, and ${others} other link${others === 1 ? '' : 's'}` : '';
      if (!a || !b) return `Two incidents linked${why}${score}${more}`;
      return `${incidentPhrase(a, lookup)} linked to ${incidentPhrase(b, lookup)}${why}${score}${more}`;
    }
    case 'campaign.updated': {
      const name = str(d.name) ?? 'A campaign';
      if (str(d.mergedInto)) return `Campaign “${name}” merged into another`;
      return `Campaign “${name}” updated${str(d.status) ? ` (${str(d.status)})` : ''}`;
    }
    case 'response.created':
      return `New response ${quoted(title)}`;
    case 'response.updated':
      return `Response ${quoted(title)} updated${str(d.status) ? `: ${str(d.status)}` : ''}`;
    case 'proposal.created': {
      const kind = KIND[str(d.kind) ?? ''] ?? 'proposal';
      return `New ${kind} before the Council${str(d.procedure) === 'silence' ? ' (silence procedure)' : ''}`;
    }
    case 'proposal.updated': {
      const kind = KIND[str(d.kind) ?? ''] ?? 'proposal';
      const status = STATUS[str(d.status) ?? ''];
      const cap = kind.charAt(0).toUpperCase() + kind.slice(1);
      return status ? `${cap} now ${status}` : `${cap} updated`;
    }
    case 'briefing.created':
      return `Briefing generated${str(d.from) && str(d.to) ? ` for ${str(d.from)!.slice(0, 10)} to ${str(d.to)!.slice(0, 10)}` : ''}`;
    case 'briefing.deleted':
      return 'Briefing deleted';
    case 'document.created':
      return `New open-source document ${quoted(title)}`;
    case 'stream.truncated':
      return 'Some older events were no longer kept and could not be replayed';
    default: {
      const [thing = 'item', verb = 'changed'] = e.event.split('.');
      const name = title ?? str(d.name);
      const noun = thing.charAt(0).toUpperCase() + thing.slice(1);
      return `${noun} ${verb}${name ? `: “${name}”` : ''}`;
    }
  }
}

/** The incidents an event names (to look up their titles). */
export function incidentsOf(e: StreamEvent): string[] {
  if (e.event === 'correlation.found') return strings(obj(e.data).incidents).slice(0, 2);
  return [];
}
