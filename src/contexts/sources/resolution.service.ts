import { randomUUID } from 'node:crypto';
import type { Extraction } from './extract.ts';
import { candidateKeys, decide, profileOf, score, type Profile } from './resolve.ts';
import { addSuffixes, candidatesByKeys, profiles } from './sources.repository.ts';
import type { Exec } from './sources.tables.ts';
import type { EntityKind } from './gazetteer.ts';

export const entityIdOf = (kind: EntityKind): string =>
  `${kind === 'place' ? 'location' : 'identity'}--${randomUUID()}`;

/**
 * Stores one document's extraction inside the caller's transaction: each local entity joins a stored entity
 * (automatic `same-as` link with score and evidence) or becomes a new one (with review candidates), then its
 * mentions, context, candidate keys and search suffixes are written. Returns the stored entity id of each
 * local entity, in order.
 */
export async function storeExtraction(x: Exec, docId: string, ex: Extraction, now: string): Promise<string[]> {
  const orgs = [...new Set(ex.entities.filter((e) => e.kind === 'organisation' && e.key).map((e) => e.key!))];
  const ids: string[] = [];
  for (const e of ex.entities) {
    const local = profileOf(e, e.kind === 'person' ? orgs : []);
    const keys = candidateKeys(local);
    const stored = await profiles(x, await candidatesByKeys(x, keys));
    const scored = [...stored]
      .filter(([, p]) => p.kind === e.kind)
      .map(([id, p]) => ({ id, ...score(local, toProfile(p)) }));
    const d = decide(scored);
    let id: string;
    if (d.kind === 'merge') {
      id = d.into;
      await link(x, docId, id, 'same-as', local.folds.join(' / '), d.score, d.evidence, 'auto', now);
    } else {
      id = entityIdOf(e.kind);
      await x
        .insertInto('sources_entities')
        .values({ id, kind: e.kind, gazetteer_key: e.key ?? null, created_at: now })
        .execute();
      for (const r of d.review) await link(x, docId, id, 'candidate', r.other, r.score, r.evidence, 'open', now);
    }
    ids.push(id);
    await x
      .insertInto('sources_entity_context')
      .values({ entity_id: id, doc_id: docId, roles: JSON.stringify(e.roles), orgs: JSON.stringify(local.orgs) })
      .onConflict((c) => c.columns(['entity_id', 'doc_id']).doNothing())
      .execute();
    await x
      .insertInto('sources_entity_keys')
      .values(keys.map((key) => ({ key, entity_id: id })))
      .onConflict((c) => c.columns(['key', 'entity_id']).doNothing())
      .execute();
    await x
      .insertInto('sources_mentions')
      .values(
        e.mentions.map((m) => ({
          doc_id: docId,
          pos_start: m.start,
          pos_end: m.end,
          entity_id: id,
          fold: profileOf({ ...e, mentions: [m] }, []).folds[0] ?? '',
          text: m.text,
        })),
      )
      .execute();
    await addSuffixes(x, local.folds);
  }
  if (ex.claims.length > 0)
    await x
      .insertInto('sources_claims')
      .values(
        ex.claims.map((c) => ({
          doc_id: docId,
          pos_start: c.start,
          pos_end: c.end,
          speaker: c.speaker === null ? null : ids[c.speaker]!,
          text: c.text,
        })),
      )
      .execute();
  return ids;
}

function toProfile(p: { kind: string; key: string | null; folds: string[]; roles: string[]; orgs: string[] }): Profile {
  return { kind: p.kind as EntityKind, key: p.key ?? undefined, folds: p.folds, roles: p.roles, orgs: p.orgs };
}

async function link(
  x: Exec,
  docId: string,
  entity: string,
  kind: 'same-as' | 'candidate',
  other: string,
  s: number,
  evidence: string[],
  status: string,
  now: string,
): Promise<void> {
  await x
    .insertInto('sources_links')
    .values({
      doc_id: docId,
      entity_id: entity,
      kind,
      other_id: other,
      score: s,
      evidence: JSON.stringify(evidence),
      status,
      created_at: now,
    })
    .onConflict((c) => c.columns(['doc_id', 'entity_id', 'kind', 'other_id']).doNothing())
    .execute();
}
