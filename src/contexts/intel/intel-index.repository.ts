import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { IncidentRow } from './intel.repository.ts';

/**
 * The writes of intel's index of incidents (tables intel_*): one incident's rows replaced or removed inside the
 * transaction of the version that changes them (IntelViews). Reads of the index are in intel.repository.ts and
 * correlation.repository.ts.
 */

export interface IndexedValue {
  kind: string;
  norm: string;
  value: string;
}
export interface IndexedNarrative {
  idx: number;
  text: string;
  signature: string;
  bands: string[];
}

/** Replaces the index of one incident (row, members, values, narratives, bands) and keeps value counts. */
export async function writeIndex(
  trx: Transaction<Schema>,
  row: IncidentRow,
  members: readonly string[],
  values: readonly IndexedValue[],
  narratives: readonly IndexedNarrative[],
  fresh = false,
): Promise<void> {
  // An incident not indexed yet (`fresh`: no intel_incidents row, and removeIndex drops the rest with it) has
  // no rows to read or delete: five statements of a report's thirty-odd.
  const old = fresh
    ? []
    : await trx
        .selectFrom('intel_observables')
        .select(['kind', 'norm_value'])
        .where('incident_id', '=', row.id)
        .execute();
  const key = (k: string, n: string) => `${k}\u0000${n}`;
  const next = new Map(values.map((v) => [key(v.kind, v.norm), v]));
  const prev = new Set(old.map((o) => key(o.kind, o.norm_value)));
  const removed = old.filter((o) => !next.has(key(o.kind, o.norm_value)));
  const added = [...next.values()].filter((v) => !prev.has(key(v.kind, v.norm)));
  for (const r of removed)
    await trx
      .deleteFrom('intel_observables')
      .where('incident_id', '=', row.id)
      .where('kind', '=', r.kind)
      .where('norm_value', '=', r.norm_value)
      .execute();
  if (added.length > 0)
    await trx
      .insertInto('intel_observables')
      .values(added.map((v) => ({ incident_id: row.id, kind: v.kind, norm_value: v.norm, value: v.value })))
      .execute();
  await countValues(trx, [
    ...removed.map((r) => ({ kind: r.kind, norm: r.norm_value, by: -1 as const })),
    ...added.map((v) => ({ kind: v.kind, norm: v.norm, by: 1 as const })),
  ]);
  if (!fresh) await trx.deleteFrom('intel_incidents').where('id', '=', row.id).execute();
  await trx.insertInto('intel_incidents').values(row).execute();
  if (!fresh) await trx.deleteFrom('intel_incident_members').where('incident_id', '=', row.id).execute();
  if (members.length > 0)
    await trx
      .insertInto('intel_incident_members')
      .values(members.map((m) => ({ incident_id: row.id, member: m })))
      .execute();
  if (!fresh) {
    await trx.deleteFrom('intel_narratives').where('incident_id', '=', row.id).execute();
    await trx.deleteFrom('intel_bands').where('incident_id', '=', row.id).execute();
  }
  if (narratives.length > 0) {
    // The text stays empty: nothing reads it here, and the incident itself holds the narratives (a copy of up to
    // 40 KB per report was written for nothing).
    await trx
      .insertInto('intel_narratives')
      .values(narratives.map((n) => ({ incident_id: row.id, idx: n.idx, text: '', signature: n.signature })))
      .execute();
    await writeBands(trx, row, [...new Set(narratives.flatMap((n) => n.bands))]);
  }
}

/**
 * An incident's LSH band keys, each with the incident's release and its slot among that release's carriers of the
 * key, counted up in intel_band_releases: the newest carriers are read by slot (CorrelationQueries.bandCarriers).
 */
async function writeBands(trx: Transaction<Schema>, row: IncidentRow, keys: string[]): Promise<void> {
  const release = { author: row.author, tlp: row.tlp, audience: row.audience };
  const slots = await trx
    .insertInto('intel_band_releases')
    // Sorted: concurrent writers (several instances on PostgreSQL) lock the counters in one order, never crosswise.
    .values([...keys].sort().map((k) => ({ band_key: k, ...release, n: 1 })))
    .onConflict((oc) =>
      oc
        .columns(['band_key', 'author', 'tlp', 'audience'])
        .doUpdateSet((eb) => ({ n: eb('intel_band_releases.n', '+', 1) })),
    )
    .returning(['band_key', 'n'])
    .execute();
  await trx
    .insertInto('intel_bands')
    .values(slots.map((k) => ({ band_key: k.band_key, incident_id: row.id, ...release, slot: Number(k.n) })))
    .execute();
}

/** Drops one incident from the index (its row, members, values, narratives, bands and links), keeping value counts. */
export async function removeIndex(trx: Transaction<Schema>, id: string): Promise<void> {
  const old = await trx
    .selectFrom('intel_observables')
    .select(['kind', 'norm_value'])
    .where('incident_id', '=', id)
    .execute();
  await countValues(
    trx,
    old.map((r) => ({ kind: r.kind, norm: r.norm_value, by: -1 as const })),
  );
  await trx.deleteFrom('intel_observables').where('incident_id', '=', id).execute();
  await trx.deleteFrom('intel_incidents').where('id', '=', id).execute();
  await trx.deleteFrom('intel_incident_members').where('incident_id', '=', id).execute();
  await trx.deleteFrom('intel_narratives').where('incident_id', '=', id).execute();
  await trx.deleteFrom('intel_bands').where('incident_id', '=', id).execute();
  await trx
    .deleteFrom('intel_links')
    .where((eb) => eb.or([eb('a', '=', id), eb('b', '=', id)]))
    .execute();
}

/**
 * Counts values in and out of intel_value_counts, each count row changed in one order, the same in every
 * transaction (by kind, then normalised value). Several instances on PostgreSQL write reports at once: two reports
 * sharing values, their counts changed in the order each listed them, could each hold one row the other waits
 * for, a deadlock PostgreSQL breaks after a second by failing one of them (group commit then runs it again).
 * A report that only adds values (every new one) changes its counts in one statement.
 */
async function countValues(
  trx: Transaction<Schema>,
  changes: ReadonlyArray<{ kind: string; norm: string; by: 1 | -1 }>,
): Promise<void> {
  const sorted = [...changes].sort((x, y) => compare(x.kind, y.kind) || compare(x.norm, y.norm));
  const up = (rows: typeof sorted) =>
    trx
      .insertInto('intel_value_counts')
      .values(rows.map((c) => ({ kind: c.kind, norm_value: c.norm, incidents: 1 })))
      .onConflict((oc) =>
        oc
          .columns(['kind', 'norm_value'])
          .doUpdateSet((eb) => ({ incidents: eb('intel_value_counts.incidents', '+', 1) })),
      )
      .execute();
  if (sorted.length > 0 && sorted.every((c) => c.by === 1)) {
    await up(sorted);
    return;
  }
  for (const c of sorted) {
    if (c.by === 1) await up([c]);
    else
      await trx
        .updateTable('intel_value_counts')
        .set((eb) => ({ incidents: eb('incidents', '-', 1) }))
        .where('kind', '=', c.kind)
        .where('norm_value', '=', c.norm)
        .execute();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
