/** TLP 2.0 levels and their STIX marking-definition ids (TLP 1.0 ids accepted and mapped). */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const TLP2_MARKING_IDS: Record<Tlp, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** TLP 1.0 marking definitions from the STIX 2.1 specification (section 7.2.1.4). */
export const TLP1_MARKING_IDS: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear', // WHITE
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

const byId = new Map<string, Tlp>([
  ...Object.entries(TLP2_MARKING_IDS).map(([k, v]) => [v, k as Tlp] as const),
  ...Object.entries(TLP1_MARKING_IDS),
]);

export function tlpOfMarkingId(id: string): Tlp | undefined {
  return byId.get(id);
}

export function isTlp(v: unknown): v is Tlp {
  return typeof v === 'string' && (TLP_LEVELS as readonly string[]).includes(v);
}

const rank: Record<Tlp, number> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

export function mostRestrictive(a: Tlp, b: Tlp): Tlp {
  return rank[a] >= rank[b] ? a : b;
}

export function isTlpMarkingId(id: string): boolean {
  return byId.has(id);
}
