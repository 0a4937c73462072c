/**
 * How register entries leave Bulwark over TAXII: STIX 2.1 objects of three new types, each defined by a
 * published extension-definition (new-sdo), mirrored into the knowledge store with the entry's release.
 * The mapping is documented in docs/registers.md. Pure.
 */
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { BULWARK_IDENTITY_ID, NO_AUTHOR, organisationIdentityId } from '../sharing/identity.ts';
import type { DiplomaticEvent } from './diplomacy.ts';
import type { HumanitarianNeed } from './humanitarian.ts';
import type { SupportEntry } from './support.ts';

export const SUPPORT_TYPE = 'bulwark-support';
export const EVENT_TYPE = 'bulwark-diplomatic-event';
export const NEED_TYPE = 'bulwark-humanitarian-need';

export const SUPPORT_EXTENSION_ID = 'extension-definition--82e921ae-0ec7-4e7d-83c8-50544b700aae';
export const EVENT_EXTENSION_ID = 'extension-definition--3f6d36f7-9290-483b-badb-3f352d165d09';
export const NEED_EXTENSION_ID = 'extension-definition--62af628f-193f-4c20-b6c1-49fa800295ca';

const DEFINED_AT = '2026-12-03T00:00:00.000Z';
const newSdo = (id: string) => ({ [id]: { extension_type: 'new-sdo' } });
const creator = (author: string) => (author === NO_AUTHOR ? BULWARK_IDENTITY_ID : organisationIdentityId(author));

/** STIX timestamps carry milliseconds (the OASIS schemas require the form). */
const ts = (iso: string) => new Date(iso).toISOString();

export function supportToStix(e: SupportEntry): Record<string, unknown> {
  return {
    type: SUPPORT_TYPE,
    spec_version: '2.1',
    id: e.id,
    created_by_ref: creator(e.provider),
    created: ts(e.created),
    modified: ts(e.modified),
    provider: e.provider,
    recipient: e.recipient,
    avenue: e.avenue,
    description: e.description,
    ...(e.amount ? { amount: { value: e.amount.value, currency: e.amount.currency } } : {}),
    pledged_at: ts(e.pledgedAt),
    status: e.status,
    status_history: e.history.map((h) => ({ status: h.status, changed_at: ts(h.at) })),
    ...(e.source ? { external_references: [{ source_name: 'source', url: e.source }] } : {}),
    ...(e.sourceGrade ? { source_grade: e.sourceGrade } : {}),
    extensions: newSdo(SUPPORT_EXTENSION_ID),
  };
}

export function eventToStix(e: DiplomaticEvent): Record<string, unknown> {
  return {
    type: EVENT_TYPE,
    spec_version: '2.1',
    id: e.id,
    created_by_ref: creator(e.author),
    created: ts(e.created),
    modified: ts(e.modified),
    name: e.title,
    kind: e.kind,
    started_at: ts(e.startedAt),
    ...(e.endedAt ? { ended_at: ts(e.endedAt) } : {}),
    parties: e.parties,
    status: e.status,
    description: e.summary,
    external_references: e.sources.map((url) => ({ source_name: 'source', url })),
    extensions: newSdo(EVENT_EXTENSION_ID),
  };
}

export function needToStix(n: HumanitarianNeed): Record<string, unknown> {
  return {
    type: NEED_TYPE,
    spec_version: '2.1',
    id: n.id,
    created_by_ref: creator(n.author),
    created: ts(n.created),
    modified: ts(n.modified),
    area: n.area,
    sector: n.sector,
    people_in_need: n.peopleInNeed,
    ...(n.peopleReached !== null ? { people_reached: n.peopleReached } : {}),
    ...(n.fundingRequired ? { funding_required: n.fundingRequired } : {}),
    ...(n.fundingReceived ? { funding_received: n.fundingReceived } : {}),
    as_of: ts(n.asOf),
    external_references: [{ source_name: 'source', url: n.source }],
    extensions: newSdo(NEED_EXTENSION_ID),
  };
}

const definition = (id: string, name: string, description: string, schema: string) => ({
  type: 'extension-definition',
  spec_version: '2.1',
  id,
  created_by_ref: BULWARK_IDENTITY_ID,
  created: DEFINED_AT,
  modified: DEFINED_AT,
  name,
  version: '1.0.0',
  extension_types: ['new-sdo'],
  object_marking_refs: [TLP2_MARKING_IDS.clear],
  description,
  schema,
});

/** The published extension-definitions of the three register types (TLP:CLEAR, by the Bulwark identity, which intel publishes). */
export function registerExtensionObjects(): Record<string, unknown>[] {
  return [
    definition(
      SUPPORT_EXTENSION_ID,
      'Bulwark support to a partner',
      'An entry of the register of support to partners: what a provider pledged, allocated or delivered to a recipient, through which avenue, for how much.',
      `New SDO type ${SUPPORT_TYPE}. Properties: provider and recipient (organisation codes); avenue (financial, humanitarian, non-lethal-equipment, military-equipment, training, cyber-defence, energy, reconstruction, other); description; amount ({value: decimal in major units with at most 2 places, currency: ISO 4217}, optional, never converted); pledged_at (timestamp); status (pledged, allocated, delivered, cancelled); status_history (array of {status, changed_at}); source_grade (Admiralty code such as B2, optional); the source as an external reference. Documented in docs/registers.md of the Bulwark project.`,
    ),
    definition(
      EVENT_EXTENSION_ID,
      'Bulwark diplomatic event',
      'An event of the diplomatic track: talks, agreements, ceasefires, summits, statements, sanctions, with the parties and sources.',
      `New SDO type ${EVENT_TYPE}. Properties: name; kind (talks, agreement, ceasefire, summit, statement, sanctions, other); started_at and ended_at (timestamps, ended_at optional); parties (array of free-text names); status (planned, ongoing, agreed, collapsed, expired, no-agreement); description; sources as external references. Documented in docs/registers.md of the Bulwark project.`,
    ),
    definition(
      NEED_EXTENSION_ID,
      'Bulwark humanitarian need',
      'Stated humanitarian needs of an area in one sector as of a date, with the source.',
      `New SDO type ${NEED_TYPE}. Properties: area (ISO 3166 country or subdivision code); sector (shelter, food, health, wash, protection, education, energy, other); people_in_need and people_reached (integers); funding_required and funding_received ({value, currency}, optional, never converted); as_of (timestamp); the source as an external reference. Documented in docs/registers.md of the Bulwark project.`,
    ),
  ];
}
