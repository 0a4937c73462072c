/**
 * What every register write does beside its own rows, inside the same transaction: the STIX copy in the
 * knowledge store (TAXII exports it with the entry's release) and the outbox row that announces the change.
 */
import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { appendToOutbox } from '../../platform/events/outbox.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { ingestOwned } from '../knowledge/owned-types.service.ts';

export interface Released {
  id: string;
  author: string;
  tlp: Tlp;
  audience: readonly string[];
}

/** Stores the STIX copy of an entry; a refusal by the store is a bug of the mapping, so it throws. */
export async function mirror(
  knowledge: KnowledgeService,
  trx: Transaction<Schema>,
  actor: Actor,
  object: Record<string, unknown>,
  r: Released,
): Promise<void> {
  const report = await ingestOwned(knowledge, trx, actor, [{ index: 0, value: object }], {
    defaultTlp: r.tlp,
    audience: r.audience,
    ...(actor.kind === 'system' ? { asOrg: NO_AUTHOR } : {}),
  });
  const bad = report.rejected[0];
  if (bad) throw new Error(`the STIX copy of ${r.id} was refused: ${bad.message}`);
}

/** Announces a change on the live stream with the entry's release (only its readers receive it). */
export async function announce(
  trx: Transaction<Schema>,
  event: string,
  r: Released,
  payload: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await appendToOutbox(
    trx,
    [{ event, objectId: r.id, author: r.author, tlp: r.tlp, audience: r.audience, payload }],
    at.toISOString(),
  );
}

/** The `modified` of a new version: now, or 1 ms after `prev` when the clock has not moved past it. */
export function nextModified(now: Date, prev: string): string {
  const t = now.toISOString();
  return t > prev ? t : new Date(Date.parse(prev) + 1).toISOString();
}
