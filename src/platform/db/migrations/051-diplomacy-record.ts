import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * The record of past peace efforts for Ukraine (api.md, Registers), at TLP:CLEAR, authored by the
 * system identity ("--"), each with its dates and a public source (docs/registers.md lists them).
 * The registers context publishes the same rows over TAXII at start.
 */
const AT = '2026-12-03T00:00:00.000Z';
const WIKI = 'https://en.wikipedia.org/wiki/';

interface Seed {
  uuid: string;
  title: string;
  kind: string;
  startedAt: string;
  endedAt: string | null;
  parties: string[];
  status: string;
  summary: string;
  sources: string[];
}

const day = (d: string) => `${d}T00:00:00.000Z`;

export const RECORD: readonly Seed[] = [
  {
    uuid: 'e01b6658-a202-4737-bae4-6f1f19b4cf49',
    title: 'Minsk Protocol',
    kind: 'ceasefire',
    startedAt: day('2014-09-05'),
    endedAt: null,
    parties: ['Ukraine', 'Russia', 'OSCE', 'Trilateral Contact Group'],
    status: 'collapsed',
    summary:
      'Twelve-point protocol signed in Minsk on 5 September 2014 by the Trilateral Contact Group on Ukraine (Ukraine, Russia and the OSCE) with a ceasefire in Donbas; the ceasefire broke down within months.',
    sources: [`${WIKI}Minsk_Protocol`],
  },
  {
    uuid: '71164fb2-a000-43b2-9812-47545a78990b',
    title: 'Package of Measures for the Implementation of the Minsk Agreements (Minsk II)',
    kind: 'agreement',
    startedAt: day('2015-02-12'),
    endedAt: day('2022-02-22'),
    parties: ['Ukraine', 'Russia', 'OSCE', 'France', 'Germany'],
    status: 'collapsed',
    summary:
      'Agreed on 12 February 2015 at the Normandy-format summit in Minsk; never implemented in full. Russia recognised the two separatist entities on 21 February 2022 and declared the agreements void on 22 February 2022.',
    sources: [`${WIKI}Minsk_agreements`],
  },
  {
    uuid: '2a2abb13-2ee5-4b81-a25d-b1450cdb30df',
    title: 'Normandy-format summit in Paris',
    kind: 'summit',
    startedAt: day('2019-12-09'),
    endedAt: null,
    parties: ['France', 'Germany', 'Russia', 'Ukraine'],
    status: 'agreed',
    summary:
      'Leaders of France, Germany, Russia and Ukraine met in Paris on 9 December 2019 and agreed on a prisoner exchange and new disengagement areas along the line of contact.',
    sources: [`${WIKI}Normandy_Format`],
  },
  {
    uuid: 'ba808872-84c8-48d3-a5db-d0fb3ad63d52',
    title: 'Istanbul talks between Russia and Ukraine',
    kind: 'talks',
    startedAt: day('2022-03-29'),
    endedAt: null,
    parties: ['Russia', 'Ukraine', 'Türkiye'],
    status: 'no-agreement',
    summary:
      'Delegations met in Istanbul on 29 March 2022; Ukraine set out its proposals (the "Istanbul communiqué"). The talks ended without an agreement.',
    sources: [`${WIKI}2022_Russia%E2%80%93Ukraine_peace_negotiations`],
  },
  {
    uuid: '9f5124e6-37b2-4aa2-820d-4d7a3cbc9a67',
    title: 'Black Sea Grain Initiative',
    kind: 'agreement',
    startedAt: day('2022-07-22'),
    endedAt: day('2023-07-17'),
    parties: ['United Nations', 'Türkiye', 'Russia', 'Ukraine'],
    status: 'expired',
    summary:
      'Signed in Istanbul on 22 July 2022 to let grain leave Ukrainian Black Sea ports under UN and Turkish oversight; Russia ended its participation on 17 July 2023.',
    sources: [`${WIKI}Black_Sea_Grain_Initiative`],
  },
  {
    uuid: '20f2a0f3-3564-4a17-85a3-387864843d0a',
    title: 'Jeddah talks on the Ukrainian Peace Formula',
    kind: 'talks',
    startedAt: day('2023-08-05'),
    endedAt: day('2023-08-06'),
    parties: ['Saudi Arabia', 'Ukraine', 'United States', 'China', 'India', 'Brazil', 'European Union'],
    status: 'no-agreement',
    summary:
      "Senior officials of more than 40 states, Russia not invited, discussed Ukraine's ten-point Peace Formula (first presented at the G20 on 15 November 2022) in Jeddah on 5-6 August 2023; no joint statement was issued.",
    sources: ['https://www.jpost.com/international/internationalrussia-ukraine-war/article-753985'],
  },
  {
    uuid: 'b2bceb13-3efa-4514-b302-1baf853052f2',
    title: 'Summit on Peace in Ukraine (Bürgenstock)',
    kind: 'summit',
    startedAt: day('2024-06-15'),
    endedAt: day('2024-06-16'),
    parties: ['Switzerland', 'Ukraine', 'participating states and organisations'],
    status: 'agreed',
    summary:
      'Summit at Bürgenstock, Switzerland, on 15-16 June 2024, closing with a joint communiqué on nuclear safety, food security and the release of prisoners; Russia did not take part.',
    sources: [`${WIKI}Ukraine_Peace_Summit`],
  },
  {
    uuid: 'a3e9fc90-8929-4de6-a1eb-b5f7ecd13cc8',
    title: 'Russia–Ukraine direct talks in Istanbul (first round)',
    kind: 'talks',
    startedAt: day('2025-05-16'),
    endedAt: null,
    parties: ['Russia', 'Ukraine', 'Türkiye'],
    status: 'no-agreement',
    summary:
      'First direct talks since 2022, in Istanbul on 16 May 2025: an exchange of 1,000 prisoners by each side was agreed, a ceasefire was not.',
    sources: [
      'https://www.hindustantimes.com/world-news/russia-ukraine-agree-to-swap-1-000-prisoners-of-war-in-first-direct-peace-talks-in-three-years-101747404933556.html',
    ],
  },
  {
    uuid: '085896d2-f356-4cdc-ac66-9a9e1f88e55c',
    title: 'Russia–Ukraine direct talks in Istanbul (second round)',
    kind: 'talks',
    startedAt: day('2025-06-02'),
    endedAt: null,
    parties: ['Russia', 'Ukraine', 'Türkiye'],
    status: 'no-agreement',
    summary:
      'Second round in Istanbul on 2 June 2025: memoranda on a settlement were exchanged and a further prisoner exchange prepared; no ceasefire.',
    sources: [
      'https://news.liga.net/en/politics/news/negotiations-in-istanbul-have-ended-a-new-exchange-of-prisoners-of-war-is-being-prepared',
    ],
  },
];

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await (db as Kysely<{ diplomatic_events: Record<string, string | null> }>)
    .insertInto('diplomatic_events')
    .values(
      RECORD.map((s) => ({
        id: `bulwark-diplomatic-event--${s.uuid}`,
        author: '--',
        created_by: 'system',
        title: s.title,
        kind: s.kind,
        started_at: s.startedAt,
        ended_at: s.endedAt,
        parties: JSON.stringify(s.parties),
        status: s.status,
        summary: s.summary,
        sources: JSON.stringify(s.sources),
        tlp: 'clear',
        audience: '',
        created_at: AT,
        modified: AT,
      })),
    )
    .execute();
}
