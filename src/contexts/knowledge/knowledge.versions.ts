/** Pure steps of writing versions to the store: the row of an admitted version, the answer for a standard
 * marking, whether an id is held per author, and what names a deleted version. */
import { formatMicros, SCO_TYPES } from '../stix/stix.ts';
import { forgedMarkingProblem, isGenuineMarking } from '../stix/well-known.ts';
import { jsonText, type IngestReport, type PreparedObject } from './knowledge.ts';
import type { NewRow } from './knowledge.rows.ts';

/** What names a deleted version (recorded with the deletion): none of its content. */
export function deletedName(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: obj.type, spec_version: obj.spec_version ?? '2.1', id: obj.id };
  if (obj.created !== undefined) out.created = obj.created;
  if (obj.modified !== undefined) out.modified = obj.modified;
  return out;
}

/**
 * A new version of `p` at the next date_added (strictly after the last one, and not before `since`, the
 * clock at the batch's start), recorded in the report as accepted.
 */
export function admit(
  p: PreparedObject,
  author: string,
  since: number,
  state: { last: number },
  report: IngestReport,
  isLatest: number,
): NewRow {
  const added = (state.last = Math.max(since, state.last + 1));
  const dateAdded = formatMicros(added);
  report.accepted.push({ index: p.index, id: p.id, version: p.version || dateAdded });
  return {
    id: p.id,
    type: p.type,
    spec_version: p.specVersion,
    version: p.versionKey,
    added_us: added,
    date_added: dateAdded,
    author,
    tlp: p.tlp,
    audience: p.audience,
    is_latest: isLatest,
    json: p.json,
  };
}

/**
 * An object under the id of a standard marking definition, which the store holds as its own: a copy
 * exactly as published is a duplicate of it, anything else is refused (prepare refuses it first; this
 * holds whatever prepared the object).
 */
export function builtin(p: PreparedObject, report: IngestReport): void {
  const obj = JSON.parse(jsonText(p.json)) as Record<string, unknown>;
  if (isGenuineMarking(obj)) report.duplicates.push({ index: p.index, id: p.id, version: p.version });
  else
    report.rejected.push({
      index: p.index,
      id: p.id,
      message: `${p.id}: id ${forgedMarkingProblem(obj) ?? 'is a standard marking definition'}`,
    });
}

/**
 * Whether each organisation holds its own copy of an id: cyber-observables (their ids are derived from
 * their values, so anyone can compute one) and other unversioned objects (custom observables). Another
 * organisation's copy never decides a write's answer, so a write cannot tell whether someone else
 * stored an observable. Versioned objects (SDOs, SROs, markings) have one author per id.
 */
export function perAuthor(row: { id: string; version: string }): boolean {
  return row.version === '' || SCO_TYPES.has(row.id.slice(0, row.id.indexOf('--')));
}

export function foreignId(id: string): string {
  return `${id}: id: belongs to another organisation; only its author may add versions`;
}
