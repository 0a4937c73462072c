/**
 * Demo entries of the registers: support to Ukraine and Moldova by the demo members, and humanitarian
 * needs by area and sector. Invented, illustrative figures (not the Kiel Institute's or OCHA's data);
 * sources are .example addresses. Written through the registers' own use cases, as their users would.
 */
import type { UserActor } from '../kernel/access/actor.ts';
import type { Registers } from '../contexts/registers/registers.module.ts';
import type { CreateSupportInput } from '../contexts/registers/support.schema.ts';
import type { CreateNeedInput } from '../contexts/registers/humanitarian.schema.ts';

const SRC = 'https://registers.example/demo';

type Support = CreateSupportInput & { by: string; daysAgo: number; then?: 'allocated' | 'delivered' };

const SUPPORT: readonly Omit<Support, 'pledgedAt'>[] = [
  {
    by: 'PL',
    daysAgo: 40,
    recipient: 'UA',
    avenue: 'military-equipment',
    description: 'Air-defence ammunition package',
    amount: { value: 120_000_000, currency: 'EUR' },
    status: 'pledged',
    then: 'delivered',
    tlp: 'amber',
  },
  {
    by: 'PL',
    daysAgo: 12,
    recipient: 'UA',
    avenue: 'energy',
    description: 'Mobile gas-turbine generators for the power grid',
    amount: { value: 18_500_000, currency: 'EUR' },
    status: 'pledged',
    then: 'allocated',
    tlp: 'green',
  },
  {
    by: 'LT',
    daysAgo: 30,
    recipient: 'UA',
    avenue: 'cyber-defence',
    description: 'Incident-response team rotation and sensors',
    amount: { value: 2_400_000, currency: 'EUR' },
    status: 'allocated',
    tlp: 'green',
    sourceGrade: 'B2',
  },
  {
    by: 'LT',
    daysAgo: 5,
    recipient: 'MD',
    avenue: 'cyber-defence',
    description: 'Election-infrastructure hardening',
    amount: { value: 900_000, currency: 'EUR' },
    status: 'pledged',
    tlp: 'amber',
    audience: ['LT', 'MD'],
  },
  {
    by: 'LV',
    daysAgo: 25,
    recipient: 'UA',
    avenue: 'training',
    description: 'Demining instructor courses',
    status: 'pledged',
    then: 'delivered',
    tlp: 'green',
  },
  {
    by: 'EE',
    daysAgo: 18,
    recipient: 'UA',
    avenue: 'humanitarian',
    description: 'Winter shelter kits for Donetsk oblast',
    amount: { value: 3_000_000, currency: 'USD' },
    status: 'pledged',
    then: 'allocated',
    tlp: 'clear',
  },
  {
    by: 'RO',
    daysAgo: 9,
    recipient: 'UA',
    avenue: 'financial',
    description: 'Budget support tranche',
    amount: { value: 50_000_000, currency: 'EUR' },
    status: 'pledged',
    tlp: 'green',
  },
  {
    by: 'FI',
    daysAgo: 3,
    recipient: 'UA',
    avenue: 'reconstruction',
    description: 'Water-treatment plant repair',
    amount: { value: 7_250_000.5, currency: 'EUR' },
    status: 'pledged',
    tlp: 'green',
  },
  {
    by: 'FI',
    daysAgo: 2,
    recipient: 'UA',
    avenue: 'humanitarian',
    description: 'Field hospital supplies',
    amount: { value: 1_500_000, currency: 'USD' },
    status: 'pledged',
    tlp: 'red',
  },
];

const NEEDS: readonly Omit<CreateNeedInput, 'asOf'>[] = [
  {
    area: 'UA-14',
    sector: 'shelter',
    peopleInNeed: 850_000,
    peopleReached: 310_000,
    fundingRequired: { value: 95_000_000, currency: 'USD' },
    fundingReceived: { value: 38_000_000, currency: 'USD' },
    source: `${SRC}/hno-donetsk`,
    tlp: 'clear',
  },
  {
    area: 'UA-14',
    sector: 'health',
    peopleInNeed: 620_000,
    peopleReached: 270_000,
    fundingRequired: { value: 41_000_000, currency: 'USD' },
    source: `${SRC}/hno-donetsk`,
    tlp: 'clear',
  },
  {
    area: 'UA-63',
    sector: 'energy',
    peopleInNeed: 1_100_000,
    fundingRequired: { value: 60_000_000, currency: 'USD' },
    fundingReceived: { value: 12_000_000, currency: 'USD' },
    source: `${SRC}/kharkiv-energy`,
    tlp: 'green',
  },
  {
    area: 'UA-65',
    sector: 'wash',
    peopleInNeed: 400_000,
    peopleReached: 150_000,
    source: `${SRC}/kherson-wash`,
    tlp: 'green',
  },
  { area: 'MD', sector: 'food', peopleInNeed: 45_000, peopleReached: 30_000, source: `${SRC}/md-food`, tlp: 'clear' },
];

/** Writes the demo register entries as the demo members (those missing from `actors` are skipped). */
export async function loadRegistersDemo(
  registers: Pick<Registers, 'support' | 'humanitarian'>,
  actors: ReadonlyMap<string, UserActor>,
  now: number,
): Promise<void> {
  const day = (n: number) => new Date(now - n * 86_400_000).toISOString();
  for (const { by, daysAgo, then, ...input } of SUPPORT) {
    const a = actors.get(by);
    if (!a) continue;
    const e = await registers.support.create(a, { ...input, pledgedAt: day(daysAgo) });
    if (then) await registers.support.patch(a, e.id, { status: then, at: day(Math.max(0, daysAgo - 7)) });
  }
  const pl = actors.get('PL');
  if (!pl) return;
  for (const [i, n] of NEEDS.entries()) await registers.humanitarian.create(pl, { ...n, asOf: day(20 - i) });
}
