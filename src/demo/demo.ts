/**
 * Demo data for `bulwark serve --demo`: a fictional hybrid campaign ("Operation Grey Lantern")
 * across eastern-flank members — reworded disinformation narratives, a DDoS wave sharing
 * infrastructure, an energy-price pressure episode, an airspace violation and migration pressure —
 * at mixed TLP levels, reported by demo users of each member through the ordinary use cases.
 * Every name, address and claim here is invented; the domains use the reserved .example TLD and
 * the addresses the documentation ranges.
 */
import type { Clock } from '../platform/clock.ts';
import { fileURLToPath } from 'node:url';
import { systemActor, type UserActor } from '../kernel/access/actor.ts';
import type { KnowledgeService } from '../contexts/knowledge/knowledge.service.ts';
import type { CreateIncidentInput } from '../contexts/intel/incident.schema.ts';
import type { Intel } from '../contexts/intel/intel.module.ts';
import type { UserService } from '../contexts/sharing/user.service.ts';
import type { Registers } from '../contexts/registers/registers.module.ts';
import { loadRegistersDemo } from './demo.registers.ts';
import type { Incident } from '../contexts/intel/incident.ts';
import { loadOutlookDemo, type DemoOutlook } from './demo.outlook.ts';

/** What the demo data set is loaded through: the same services users go through, no more. */
export interface DemoServices {
  intel: Pick<Intel, 'repo' | 'incidents'>;
  /** Where the demo loads the technique catalogues the project ships (DISARM, ATT&CK for ICS). */
  knowledge?: Pick<KnowledgeService, 'ingest'>;
  users: Pick<UserService, 'create' | 'authenticate'>;
  clock: Clock;
  /** Support and humanitarian needs (left out by callers that only need incidents). */
  registers?: Pick<Registers, 'support' | 'humanitarian'>;
  /** The outlook demo (scenario set, question, ACH) when given. */
  outlook?: DemoOutlook;
}

export const DEMO_KV_KEY = 'demo-loaded';

/** The STIX catalogues the project ships (test/fixtures/stix-bundles, with their licences). */
export const CATALOGUES = [
  new URL('../../test/fixtures/stix-bundles/DISARM.json', import.meta.url),
  new URL('../../test/fixtures/stix-bundles/ics-attack-18.1.json', import.meta.url),
];

export interface DemoUser {
  name: string;
  org: string;
  role: 'analyst' | 'admin';
  token: string;
}

const USERS: ReadonlyArray<Omit<DemoUser, 'token'>> = [
  { name: 'demo-pl', org: 'PL', role: 'admin' },
  { name: 'demo-lt', org: 'LT', role: 'analyst' },
  { name: 'demo-lv', org: 'LV', role: 'analyst' },
  { name: 'demo-ee', org: 'EE', role: 'analyst' },
  { name: 'demo-ro', org: 'RO', role: 'analyst' },
  { name: 'demo-fi', org: 'FI', role: 'analyst' },
  { name: 'demo-ua', org: 'UA', role: 'analyst' },
];

const P = {
  warsaw: { lat: 52.2297, lon: 21.0122 },
  suwalki: { lat: 54.1118, lon: 22.9309 },
  vilnius: { lat: 54.6872, lon: 25.2797 },
  riga: { lat: 56.9496, lon: 24.1052 },
  tallinn: { lat: 59.437, lon: 24.7536 },
  narva: { lat: 59.3797, lon: 28.1791 },
  bucharest: { lat: 44.4268, lon: 26.1025 },
  constanta: { lat: 44.1598, lon: 28.6348 },
  helsinki: { lat: 60.1699, lon: 24.9384 },
  imatra: { lat: 61.1719, lon: 28.7526 },
  daugavpils: { lat: 55.8747, lon: 26.5362 },
};
const LANTERN = { name: 'Grey Lantern', kind: 'intrusion-set' as const };

type Report = { by: string; daysAgo: number } & Omit<CreateIncidentInput, 'occurredAt'>;

const REPORTS: Report[] = [
  // Disinformation: one claim, reworded in three languages' worth of copies.
  {
    by: 'PL',
    daysAgo: 20,
    title: 'Telegram channel spreads "Suwałki seizure" claim',
    description:
      'A new channel posts a fabricated order claiming allied troops will seize the Suwałki gap; amplified by ~300 fresh accounts within two hours.',
    category: 'disinformation',
    location: P.suwalki,
    affectedMembers: ['PL', 'LT'],
    tlp: 'green',
    reliability: 'B',
    credibility: 2,
    actor: LANTERN,
    narratives: ['NATO troops are secretly preparing to seize the Suwałki gap and block Lithuanian grain transit'],
    observables: [
      { type: 'user-account', value: '@baltic_truth_now' },
      { type: 'domain-name', value: 'baltic-truth-news[.]example' },
    ],
  },
  {
    by: 'LT',
    daysAgo: 19,
    title: 'Fake ministry letter on grain transit blockade',
    description: 'Forged letterhead of a ministry circulates on social media, repeating the Suwałki claim.',
    category: 'disinformation',
    location: P.vilnius,
    affectedMembers: ['LT'],
    tlp: 'amber',
    reliability: 'C',
    credibility: 3,
    narratives: ['NATO troops secretly prepare to seize the Suwałki gap, blocking grain transit through Lithuania'],
    observables: [{ type: 'url', value: 'hxxps://baltic-truth-news[.]example/leak/ministry-letter' }],
  },
  {
    by: 'LV',
    daysAgo: 17,
    title: 'Latvian-language copies of the Suwałki narrative',
    description: 'Same story pushed in Latvian by accounts created this month.',
    category: 'disinformation',
    location: P.riga,
    affectedMembers: ['LV', 'LT'],
    tlp: 'clear',
    reliability: 'B',
    credibility: 3,
    narratives: ['Secret plan: alliance troops preparing to seize Suwalki gap and block Lithuanian grain transit'],
    observables: [{ type: 'user-account', value: 'baltic_truth_now' }],
  },
  {
    by: 'EE',
    daysAgo: 15,
    title: 'Pension confiscation rumour targets Russian speakers',
    description: 'Videos claim the government will confiscate pensions of Russian-speaking residents.',
    category: 'disinformation',
    location: P.narva,
    affectedMembers: ['EE'],
    tlp: 'green',
    reliability: 'B',
    credibility: 2,
    narratives: ['The Estonian government plans to confiscate the pensions of Russian speakers next year'],
    observables: [{ type: 'domain-name', value: 'narva-voice.example' }],
  },
  {
    by: 'LV',
    daysAgo: 13,
    title: 'Pension rumour re-appears in Latgale',
    description: 'Reworded version of the Estonian pension rumour, now about Latvia and Estonia.',
    category: 'disinformation',
    location: P.daugavpils,
    affectedMembers: ['LV', 'EE'],
    tlp: 'amber',
    reliability: 'C',
    credibility: 3,
    narratives: [
      'Next year the Estonian government will confiscate pensions of Russian speakers, and Latvia plans the same',
    ],
  },
  // DDoS wave sharing infrastructure.
  {
    by: 'EE',
    daysAgo: 12,
    title: 'DDoS on e-government portal',
    description: 'HTTP flood peaking at 1.2 M requests/s against the e-government portal for 40 minutes.',
    category: 'cyber',
    location: P.tallinn,
    affectedMembers: ['EE'],
    tlp: 'green',
    reliability: 'A',
    credibility: 1,
    actor: LANTERN,
    observables: [
      { type: 'ipv4-addr', value: '198.51.100.23' },
      { type: 'ipv4-addr', value: '198.51.100.24' },
      { type: 'domain-name', value: 'c2-relay.example' },
    ],
  },
  {
    by: 'LT',
    daysAgo: 11,
    title: 'DDoS on rail ticketing',
    description: 'Layer-7 flood against the national rail ticketing system; same botnet controller.',
    category: 'cyber',
    location: P.vilnius,
    affectedMembers: ['LT'],
    tlp: 'amber',
    reliability: 'A',
    credibility: 2,
    observables: [
      { type: 'ipv4-addr', value: '198.51.100.24' },
      { type: 'url', value: 'hxxp://c2-relay[.]example/gate.php' },
    ],
  },
  {
    by: 'PL',
    daysAgo: 11,
    title: 'DDoS on regional energy distributor',
    description: 'Volumetric attack against a distribution operator customer portal.',
    category: 'cyber',
    location: P.warsaw,
    affectedMembers: ['PL'],
    tlp: 'green',
    reliability: 'B',
    credibility: 2,
    actor: LANTERN,
    observables: [
      { type: 'ipv4-addr', value: '198.51.100.23' },
      { type: 'domain-name', value: 'C2-Relay.Example.' },
    ],
  },
  {
    by: 'FI',
    daysAgo: 10,
    title: 'Botnet controller seen probing port operator',
    description: 'Scanning from the same controller against a port operator; shared with named partners only.',
    category: 'cyber',
    location: P.helsinki,
    affectedMembers: ['FI'],
    tlp: 'amber+strict',
    audience: ['EE', 'LT', 'PL'],
    reliability: 'B',
    credibility: 2,
    observables: [{ type: 'ipv4-addr', value: '198.51.100.24' }],
  },
  {
    by: 'RO',
    daysAgo: 9,
    title: 'Controller traffic from a national network (sensitive source)',
    description: 'Sensitive source reporting; not releasable beyond the author.',
    category: 'cyber',
    location: P.bucharest,
    affectedMembers: ['RO'],
    tlp: 'red',
    reliability: 'A',
    credibility: 2,
    observables: [{ type: 'domain-name', value: 'c2-relay.example' }],
  },
  // Energy-price pressure.
  {
    by: 'RO',
    daysAgo: 8,
    title: 'Energy-price scare campaign',
    description:
      'Paid posts claim electricity prices will triple, blaming sanctions; timed with a supplier announcement.',
    category: 'economic-pressure',
    location: P.bucharest,
    affectedMembers: ['RO'],
    tlp: 'green',
    reliability: 'B',
    credibility: 3,
    narratives: ['Electricity prices in Romania will triple this winter because of EU sanctions'],
  },
  {
    by: 'RO',
    daysAgo: 6,
    title: 'Same price claim pushed at port workers',
    description: 'Leaflets at the port repeat the price claim.',
    category: 'economic-pressure',
    location: P.constanta,
    affectedMembers: ['RO'],
    tlp: 'clear',
    reliability: 'C',
    credibility: 3,
    narratives: ['Because of EU sanctions electricity prices in Romania are set to triple this winter'],
  },
  {
    by: 'FI',
    daysAgo: 5,
    title: 'Gas supplier threatens cut-off',
    description: 'A supplier announces "technical maintenance" halting deliveries unless contract terms change.',
    category: 'economic-pressure',
    location: P.helsinki,
    affectedMembers: ['FI'],
    tlp: 'green',
    reliability: 'B',
    credibility: 2,
  },
  // Other instruments.
  {
    by: 'EE',
    daysAgo: 4,
    title: 'Drone crosses into Estonian airspace',
    description: 'Small UAV tracked for 6 minutes near Narva before returning east.',
    category: 'airspace-violation',
    location: P.narva,
    affectedMembers: ['EE'],
    tlp: 'clear',
    reliability: 'A',
    credibility: 1,
  },
  {
    by: 'FI',
    daysAgo: 3,
    title: 'Organised arrivals at the eastern border',
    description: 'Groups brought to a closed crossing point by organised transport.',
    category: 'migration-pressure',
    location: P.imatra,
    affectedMembers: ['FI'],
    tlp: 'amber',
    reliability: 'B',
    credibility: 2,
  },
];

/**
 * Loads the demo on a fresh store: creates the demo users and reports the incidents through the
 * ordinary use cases (so they are correlated and announced). Returns the users with their tokens,
 * or undefined when the demo was loaded before or the store already holds incidents.
 */
export async function loadDemo(services: DemoServices): Promise<DemoUser[] | undefined> {
  const repo = services.intel.repo;
  if ((await repo.kvGet(DEMO_KV_KEY)) !== undefined) return undefined;
  if ((await repo.list({ kind: 'system', name: 'demo' }, { limit: 1 })).length > 0) return undefined;
  const users: DemoUser[] = [];
  const actors = new Map<string, UserActor>();
  for (const u of USERS) {
    const { user, token } = await services.users.create({ member: u.org, name: u.name, role: u.role });
    users.push({ ...u, token });
    const a = await services.users.authenticate(token);
    if (a) actors.set(user.org, a);
  }
  const now = services.clock.now().getTime();
  const reported: Incident[] = [];
  for (const { by, daysAgo, ...r } of REPORTS) {
    const occurredAt = new Date(now - daysAgo * 86400000 - 3600000 * (3 + (daysAgo % 7))).toISOString();
    reported.push(await services.intel.incidents.report(actors.get(by)!, { ...r, occurredAt }));
  }
  // the technique picker works out of the box: the catalogues the project ships, released to everyone
  if (services.knowledge)
    for (const file of CATALOGUES)
      await services.knowledge.ingest(
        systemActor('demo'),
        { file: fileURLToPath(file) },
        {
          defaultTlp: 'clear',
          asOrg: 'US',
        },
      );
  if (services.registers) await loadRegistersDemo(services.registers, actors, now);
  if (services.outlook) await loadOutlookDemo(services.outlook, actors, reported, services.clock.now());
  await repo.kvSet(DEMO_KV_KEY, services.clock.now().toISOString());
  return users;
}
