/**
 * An organisation's view of the resolved entities: the shared resolution gives each mention a base entity;
 * an organisation's own merges and splits, applied in order, map each (base entity, folded alias) pair to the
 * entity that organisation sees. Merging B into A sends every pair of B to A; splitting alias x off A sends
 * A's pairs with alias x to a new entity: back to their base entity unless aliases of another entity are now viewed under its id (so a merge then a
 * split of the merged aliases restores both), else to the id recorded with the split.
 */
export interface Pair {
  entity: string;
  fold: string;
}

export type Edit =
  { op: 'merge'; entity: string; other: string } | { op: 'split'; entity: string; fold: string; newId: string };

export const pairKey = (p: Pair): string => `${p.entity}\u0000${p.fold}`;

/** The viewed entity of each pair (by pairKey). Linear in pairs × edits. */
export function applyEdits(pairs: readonly Pair[], edits: readonly Edit[]): Map<string, string> {
  const view = new Map<string, string>();
  for (const p of pairs) view.set(pairKey(p), p.entity);
  const byKey = new Map(pairs.map((p) => [pairKey(p), p] as const));
  for (const e of edits) {
    if (e.op === 'merge') {
      for (const [k, v] of view) if (v === e.other) view.set(k, e.entity);
      continue;
    }
    const moving = [...view].filter(([k, v]) => v === e.entity && byKey.get(k)!.fold === e.fold).map(([k]) => k);
    if (moving.length === 0) continue;
    for (const k of moving) {
      const base = byKey.get(k)!.entity;
      const target = base !== e.entity && !heldByOthers(view, byKey, base) ? base : e.newId;
      view.set(k, target);
    }
  }
  return view;
}

/** A pair of another base entity is viewed as `id` (so `id` cannot take its own aliases back). */
function heldByOthers(view: ReadonlyMap<string, string>, byKey: ReadonlyMap<string, Pair>, id: string): boolean {
  for (const [k, v] of view) if (v === id && byKey.get(k)!.entity !== id) return true;
  return false;
}

/** Every entity id that some edit touches (their pairs must be loaded to apply the edits). */
export function touched(edits: readonly Edit[]): Set<string> {
  const ids = new Set<string>();
  for (const e of edits) {
    ids.add(e.entity);
    if (e.op === 'merge') ids.add(e.other);
    else ids.add(e.newId);
  }
  return ids;
}
