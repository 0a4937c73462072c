/** An attack pattern of the imported DISARM / ATT&CK catalogues (GET /api/v1/ttps). */
export interface Ttp {
  id: string;
  name: string;
  externalId: string | null;
  source: string | null;
}

/** How a TTP is shown: its catalogue id (e.g. T1566) before its name when it has one. */
export function ttpLabel(t: Ttp): string {
  return t.externalId ? `${t.externalId} ${t.name}` : t.name;
}
