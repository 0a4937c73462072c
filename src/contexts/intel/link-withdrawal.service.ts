import type { Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { readerOf, systemActor } from '../../kernel/access/actor.ts';
import type { Releasable } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { toReleasable, type KnowledgeService } from '../knowledge/knowledge.service.ts';
import { readersOf } from './correlation.ts';
import { nextModified } from './incident.ts';

/** A link to re-check, with the releasability it may have now (undefined: nobody may read both ends). */
export interface LinkCheck {
  id: string;
  allowed: Releasable | undefined;
}

const SYSTEM = systemActor('intel-links');

/**
 * Withdraws links released wider than they may be now. A link is released, when written, to those who
 * read both of its ends; when an end is narrowed later, some of them may no longer read it, and the link
 * would go on naming it to them. Each such link (its latest version live, with a reader outside
 * `allowed`) gets a revoked version, released exactly as the stored one was: its former readers see it
 * withdrawn and learn nothing else (the end's new release is not theirs to see). A link still within
 * `allowed` is left alone. Returns the ids withdrawn.
 */
export async function withdrawStaleLinks(
  trx: Transaction<Schema>,
  knowledge: KnowledgeService,
  clock: Clock,
  links: readonly LinkCheck[],
): Promise<string[]> {
  if (links.length === 0) return [];
  const stored = await knowledge.repo.list(
    { reader: readerOf(SYSTEM), scope: { kind: 'all' }, ids: links.map((l) => l.id), versions: ['last'] },
    trx,
  );
  const byId = new Map(stored.map((r) => [r.id, r]));
  const withdrawn: string[] = [];
  for (const link of links) {
    const row = byId.get(link.id);
    if (!row) continue;
    const obj = JSON.parse(row.json) as Record<string, unknown> & { modified: string };
    if (obj.revoked === true) continue;
    const release = toReleasable(row);
    const allowed = new Set(link.allowed ? readersOf(link.allowed) : []);
    if (readersOf(release).every((org) => allowed.has(org))) continue;
    const revoked = { ...obj, modified: nextModified(clock.now(), obj.modified), revoked: true };
    const report = await knowledge.ingestWithin(trx, SYSTEM, [{ index: 0, value: revoked }], {
      asOrg: row.author,
      defaultTlp: row.tlp as Tlp,
      audience: release.audience,
    });
    if (report.rejected.length > 0)
      throw new DomainError('conflict', `could not withdraw link ${link.id}: ${report.rejected[0]!.message}`);
    withdrawn.push(link.id);
  }
  return withdrawn;
}
