import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { encodeAudience } from '../../kernel/access/releasability.ts';

/**
 * An event announcing a committed change. It carries the releasability of the object it is
 * about, so that every fan-out (SSE, NATS) filters per subscriber without another lookup.
 */
export interface OutgoingEvent {
  /** e.g. incident.created, correlation.found, proposal.updated */
  event: string;
  objectId: string;
  author: string;
  tlp: Tlp;
  audience: readonly string[];
  /** JSON payload; must contain at least the object's id. */
  payload: Record<string, unknown>;
}

/**
 * Writes an outbox row inside the caller's transaction: the event exists if and only if the
 * change it announces committed. The relay publishes it afterwards (call `EventNotifier.nudge`
 * after commit for low latency; the relay also polls).
 */
export async function appendToOutbox(
  trx: Transaction<Schema> | Kysely<Schema>,
  events: readonly OutgoingEvent[],
  createdAt: string,
): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(
      events.map((e) => ({
        event: e.event,
        object_id: e.objectId,
        author: e.author,
        tlp: e.tlp,
        audience: encodeAudience(e.audience),
        payload: JSON.stringify({ id: e.objectId, ...e.payload }),
        created_at: createdAt,
        event_id: null,
      })),
    )
    .execute();
}

/** Tells the relay that new outbox rows were committed. */
export interface EventNotifier {
  nudge(): void;
}

export const noopNotifier: EventNotifier = { nudge: () => undefined };
