import type { IncidentRow } from '../src/contexts/intel/intel.repository.ts';

/** A row of intel's index of incidents (intel_incidents), for tests that write the index or its tables directly. */
export function incidentRow(id: string, over: Partial<IncidentRow> = {}): IncidentRow {
  return {
    id,
    author: 'LT',
    tlp: 'green',
    audience: '',
    category: 'disinformation',
    title: id,
    occurred_at: '2026-03-02T08:00:00.000Z',
    iso_week: '2026-W10',
    lat: null,
    lon: null,
    members: ',LT,',
    actor: null,
    created_at: '2026-03-02T08:00:00.000Z',
    modified: '2026-03-02T08:00:00.000Z',
    pending: 0,
    ...over,
  };
}
