import type { Selectable } from 'kysely';
import type { OutboxTable } from '../db/schema.ts';
import type { EventIdCodec } from './event-id.ts';
import { isTlp, type Tlp } from '../../kernel/access/tlp.ts';
import { canRead, decodeAudience, type Reader } from '../../kernel/access/releasability.ts';

/**
 * An outbox row after the relay gave it its place in the stream. `id` is the event id: strictly
 * increasing and dense (1, 2, 3 …) in publish order, shared by every instance on one database.
 */
export interface PublishedEvent {
  id: number;
  event: string;
  objectId: string;
  author: string;
  tlp: Tlp;
  audience: readonly string[];
  /** JSON text; contains at least the object's `id`. */
  payload: string;
  createdAt: string;
}

/** The stored form (outbox columns) of a published event: its event id is set. */
export type PublishedRow = Omit<Selectable<OutboxTable>, 'seq' | 'event_id'> & { event_id: number };

export function eventOfRow(r: PublishedRow): PublishedEvent {
  return {
    id: Number(r.event_id),
    event: r.event,
    objectId: r.object_id,
    author: r.author,
    // An unknown level fails closed: red reaches only the author and the audience.
    tlp: isTlp(r.tlp) ? r.tlp : 'red',
    audience: decodeAudience(r.audience),
    payload: r.payload,
    createdAt: r.created_at,
  };
}

export function mayReceive(reader: Reader, e: PublishedEvent): boolean {
  return canRead(reader, e);
}

/** The Server-Sent Events frame of an event, its id enciphered (SseHub builds it once for all subscribers). */
export function sseFrame(e: PublishedEvent, ids: EventIdCodec): string {
  const name = e.event.replace(/[\r\n]/g, ' ');
  const data = e.payload
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
  return `id: ${ids.encode(e.id)}\nevent: ${name}\n${data}\n`;
}

/** Parses `?events=a.b,c.d` into a set of event names; undefined when absent. */
export function parseEventFilter(v: string | undefined): Set<string> | undefined | 'invalid' {
  if (v === undefined || v.trim() === '') return undefined;
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length > 50 || names.some((n) => n.length > 100 || !/^[a-z0-9][a-z0-9._-]*$/i.test(n))) return 'invalid';
  return new Set(names);
}
