import type { Reader } from '../../kernel/access/releasability.ts';
import { readablePairs, type PairRow } from './sources.repository.ts';
import type { Exec } from './sources.tables.ts';
import { applyEdits, pairKey, touched, type Edit } from './view.ts';
import { fold, words } from './fold.ts';

/**
 * What one reader sees of some entities: the mentions its readable documents support, grouped by the
 * entity its organisation's merges and splits make of them. Nothing else reaches the reader.
 */
export interface ReaderView {
  /** The viewed entity of a stored (entity, fold) pair. */
  viewOf(entity: string, fold: string): string;
  /** Readable rows viewed as `id`. */
  rowsOf(id: string): PairRow[];
  /** Every viewed entity id with at least one readable row. */
  ids(): string[];
}

export async function editsOf(x: Exec, org: string | undefined): Promise<Edit[]> {
  if (org === undefined) return [];
  const rows = await x.selectFrom('sources_edits').selectAll().where('org', '=', org).orderBy('seq').execute();
  // A rejected candidate changes no grouping: it only leaves the review queue.
  return rows
    .filter((r) => r.op !== 'reject')
    .map((r) =>
      r.op === 'merge'
        ? { op: 'merge' as const, entity: r.entity_id, other: r.other_id ?? '' }
        : { op: 'split' as const, entity: r.entity_id, fold: r.fold ?? '', newId: r.new_id ?? '' },
    );
}

/** The reader's view of `ids` (stored or viewed ids) and of whatever its organisation's edits join to them. */
export async function readerView(
  x: Exec,
  reader: Reader,
  ids: readonly string[],
  known?: readonly Edit[],
): Promise<ReaderView> {
  const edits = known ?? (await editsOf(x, reader.kind === 'org' ? reader.org : undefined));
  const base = new Set([...ids, ...touched(edits)]);
  const rows = await readablePairs(x, reader, [...base]);
  const map = applyEdits(
    rows.map((r) => ({ entity: r.entity_id, fold: r.fold })),
    edits,
  );
  const byView = new Map<string, PairRow[]>();
  for (const r of rows) {
    const v = map.get(pairKey({ entity: r.entity_id, fold: r.fold })) ?? r.entity_id;
    const list = byView.get(v) ?? [];
    list.push(r);
    byView.set(v, list);
  }
  return {
    viewOf: (entity, f) => map.get(pairKey({ entity, fold: f })) ?? entity,
    rowsOf: (id) => byView.get(id) ?? [],
    ids: () => [...byView.keys()],
  };
}

/** Distinct alias forms, the fullest first (most words, then most documents). */
export function aliasesOf(rows: readonly PairRow[]): string[] {
  const docs = new Map<string, Set<string>>();
  for (const r of rows) {
    const s = docs.get(r.text) ?? new Set<string>();
    s.add(r.doc_id);
    docs.set(r.text, s);
  }
  return [...docs.keys()].sort(
    (a, b) =>
      words(fold(b)).length - words(fold(a)).length || docs.get(b)!.size - docs.get(a)!.size || a.localeCompare(b),
  );
}
