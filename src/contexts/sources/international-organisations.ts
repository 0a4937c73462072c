/**
 * International organisations with their usual names and acronyms (the project's docs/sources.md names the
 * sources: the alliance's own names are those of the domain reference; the others are the organisations'
 * official names). "the Alliance" needs its capital and the article; a bare "Alliance" is not listed.
 */
import type { GazetteerEntry } from './gazetteer.ts';

const org = (code: string, name: string, ...names: string[]): GazetteerEntry => ({
  key: `org:${code}`,
  kind: 'organisation',
  name,
  names: [name, ...names],
});

export const INTERNATIONAL_ORGANISATIONS: readonly GazetteerEntry[] = [
  org(
    'NATO',
    'NATO',
    'North Atlantic Treaty Organization',
    'North Atlantic Treaty Organisation',
    'the North Atlantic Alliance',
    'North Atlantic Alliance',
    'the Alliance',
    'OTAN',
    "Organisation du traité de l'Atlantique nord",
  ),
  org('NAC', 'North Atlantic Council'),
  org('EU', 'European Union', 'EU', 'E.U.'),
  org('EC', 'European Commission'),
  org('EEAS', 'European External Action Service', 'EEAS'),
  org(
    'OSCE',
    'OSCE',
    'Organization for Security and Co-operation in Europe',
    'Organisation for Security and Co-operation in Europe',
    'Organization for Security and Cooperation in Europe',
  ),
  org('UN', 'United Nations', 'UN', 'U.N.'),
  org('UNSC', 'UN Security Council', 'United Nations Security Council', 'Security Council'),
  org('HYBRIDCOE', 'European Centre of Excellence for Countering Hybrid Threats', 'Hybrid CoE'),
  org('IAEA', 'International Atomic Energy Agency', 'IAEA'),
  org('ICRC', 'International Committee of the Red Cross', 'ICRC'),
  org('OCHA', 'UN Office for the Coordination of Humanitarian Affairs', 'OCHA'),
  org('COE', 'Council of Europe'),
  org('G7', 'G7', 'Group of Seven'),
  org('G20', 'G20', 'Group of Twenty'),
];
