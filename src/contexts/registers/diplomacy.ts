/** The diplomatic track (api.md, Registers): talks, agreements, ceasefires … with parties and sources. Pure. */
import type { Tlp } from '../../kernel/access/tlp.ts';

export const EVENT_KINDS = ['talks', 'agreement', 'ceasefire', 'summit', 'statement', 'sanctions', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_STATUSES = ['planned', 'ongoing', 'agreed', 'collapsed', 'expired', 'no-agreement'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface DiplomaticEvent {
  id: string;
  /** The writing organisation, or "--" for the seeded record (the system identity). */
  author: string;
  title: string;
  kind: EventKind;
  startedAt: string;
  endedAt: string | null;
  parties: string[];
  status: EventStatus;
  summary: string;
  sources: string[];
  tlp: Tlp;
  audience: string[];
  createdBy: string;
  created: string;
  modified: string;
}

/** Whether an event overlaps the period [from, to] (either bound open when absent). */
export function overlaps(e: Pick<DiplomaticEvent, 'startedAt' | 'endedAt'>, from?: string, to?: string): boolean {
  const end = e.endedAt ?? e.startedAt;
  return (to === undefined || e.startedAt <= to) && (from === undefined || end >= from);
}
