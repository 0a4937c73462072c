/**
 * The standard marking definitions every Bulwark store holds as its own, exactly as published:
 * - TLP 2.0 (FIRST, August 2022), in the STIX form published by OASIS with the TLP 2.0 property
 *   extension (extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d);
 * - TLP 1.0, as given in the STIX 2.1 specification (OASIS, section 7.2.1.4).
 * Copied from the OASIS objects (OASIS IPR policy; the objects are published for verbatim reuse).
 * The stored text is JSON.stringify of these objects, key order as published. No user may store an
 * object under one of these ids (knowledge.service.ts); migration 010 writes them into every store.
 */
import { canonicalJson } from './stix.ts';

const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

function tlp2(id: string, name: string, level: string): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: '2022-10-01T00:00:00.000Z',
    name,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

function tlp1(id: string, name: string, level: string): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name,
    definition: { tlp: level },
  };
}

/** In the order they are stored (each store gives them the same date_added, see BUILTIN_ADDED_US). */
export const WELL_KNOWN_MARKINGS: ReadonlyArray<Readonly<Record<string, unknown>>> = [
  tlp1('marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'TLP:WHITE', 'white'),
  tlp1('marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'TLP:GREEN', 'green'),
  tlp1('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'TLP:AMBER', 'amber'),
  tlp1('marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'TLP:RED', 'red'),
  tlp2('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'TLP:CLEAR', 'clear'),
  tlp2('marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'TLP:GREEN', 'green'),
  tlp2('marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'TLP:AMBER', 'amber'),
  tlp2('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'TLP:AMBER+STRICT', 'amber+strict'),
  tlp2('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', 'TLP:RED', 'red'),
];

const byId = new Map(WELL_KNOWN_MARKINGS.map((m) => [m.id as string, m]));

/** The published definition with this id, if it is one of the standard ones. */
export function wellKnownMarking(id: string): Readonly<Record<string, unknown>> | undefined {
  return byId.get(id);
}

/** Whether `obj` is one of the standard definitions exactly as published (a copy, which adds nothing). */
export function isGenuineMarking(obj: Record<string, unknown>): boolean {
  const known = typeof obj.id === 'string' ? byId.get(obj.id) : undefined;
  return known !== undefined && canonicalJson(obj) === canonicalJson(known);
}

/**
 * Why an object may not be stored by anyone, or undefined when it may: another object under the id
 * of a standard definition (a copy exactly as published is no forgery: it is a duplicate of the
 * store's own), or a definition that presents itself as TLP (TLP 1.0 `definition_type`, or the TLP
 * 2.0 extension) under another id, which tools that match TLP by name would take for the real one.
 */
export function forgedMarkingProblem(obj: Record<string, unknown>): string | undefined {
  const id = typeof obj.id === 'string' ? obj.id : '';
  const known = byId.get(id);
  if (known && isGenuineMarking(obj)) return undefined;
  if (id === TLP2_EXTENSION)
    return 'is the OASIS TLP 2.0 extension definition, which the TLP 2.0 markings name; no one may store another object under its id';
  if (known)
    return `is the standard ${String(known.name)} marking definition (${known.created === '2017-01-20T00:00:00.000Z' ? 'TLP 1.0' : 'TLP 2.0'}); every store holds it as published and no one may store another object under its id`;
  if (obj.type !== 'marking-definition') return undefined;
  const exts = obj.extensions;
  const claimsTlp2 = exts !== null && typeof exts === 'object' && TLP2_EXTENSION in exts;
  if (obj.definition_type === 'tlp' || claimsTlp2)
    return 'a TLP marking definition must be one of the standard TLP 1.0 or 2.0 ones (use their ids in object_marking_refs); another id may not present itself as TLP';
  return undefined;
}

/** The author recorded on the store's own objects: no organisation (no org collection lists them). */
export const STORE_AUTHOR = '--';

/**
 * The standard definitions are stored with date_added 1 µs, 2 µs … after the epoch: before anything
 * else in every store, and the same in every store. A store whose newest date_added is at most this
 * holds nothing else.
 */
export const BUILTIN_LAST_ADDED_US = WELL_KNOWN_MARKINGS.length;
