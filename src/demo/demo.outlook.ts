/**
 * The outlook part of the demo: how the war in Ukraine may end (the seed's three outcomes and a frozen
 * conflict), signposts with their likelihoods, a few observations citing the demo's incidents, an impact
 * matrix for the eastern flank, a forecast question linked to a signpost and an ACH matrix on the
 * demo's DDoS wave. Probabilities and likelihoods are illustrative judgements, not assessments.
 */
import type { UserActor } from '../kernel/access/actor.ts';
import type { Outlook } from '../contexts/outlook/outlook.module.ts';
import type { Incident } from '../contexts/intel/incident.ts';

export type DemoOutlook = Pick<Outlook, 'scenarios' | 'questions' | 'ach'>;

const SCENARIOS = [
  {
    key: 'aggressor-momentum',
    title: 'Aggressor keeps its momentum',
    description: 'Slow but steady territorial gains; pressure on the alliance’s eastern flank grows.',
    prior: 0.3,
  },
  {
    key: 'defender-wins',
    title: 'Defender wins quickly',
    description: 'Sustained aid and a successful counter-offensive restore most of the territory.',
    prior: 0.15,
  },
  {
    key: 'settlement',
    title: 'Negotiated settlement',
    description: 'A ceasefire and an agreement with guarantees, monitored internationally.',
    prior: 0.3,
  },
  {
    key: 'frozen',
    title: 'Frozen conflict',
    description: 'Fighting ebbs along a contact line without a settlement; periodic escalation.',
    prior: 0.25,
  },
];

/** Likelihoods in scenario order: momentum, defender, settlement, frozen. */
const SIGNPOSTS: Array<{ key: string; title: string; p: [number, number, number, number] }> = [
  { key: 'offensive-gains', title: 'Aggressor gains ground on several axes within a month', p: [0.8, 0.1, 0.3, 0.3] },
  { key: 'western-aid', title: 'Multi-year military aid package adopted', p: [0.3, 0.8, 0.5, 0.5] },
  { key: 'direct-talks', title: 'Leader-level direct talks announced', p: [0.2, 0.3, 0.85, 0.5] },
  { key: 'mobilisation', title: 'New mobilisation wave in the aggressor state', p: [0.75, 0.3, 0.2, 0.4] },
  { key: 'quiet-line', title: 'Contact line quiet for a month', p: [0.1, 0.2, 0.6, 0.7] },
  { key: 'hybrid-surge', title: 'Surge of hybrid attacks on eastern-flank members', p: [0.7, 0.4, 0.3, 0.5] },
];

/** Threat levels 1–5 in scenario order for the eastern flank. */
const IMPACTS: Record<string, [number, number, number, number]> = {
  PL: [5, 2, 3, 4],
  LT: [5, 2, 3, 4],
  LV: [5, 2, 3, 4],
  EE: [5, 2, 3, 4],
  RO: [4, 2, 3, 3],
  FI: [4, 1, 2, 3],
  SK: [3, 1, 2, 2],
  BG: [3, 1, 2, 2],
  HU: [3, 1, 2, 2],
};

const day = 86_400_000;

/** Loads the outlook demo as the demo users (PL writes the set, LT asks, others forecast). */
export async function loadOutlookDemo(
  outlook: DemoOutlook,
  actors: ReadonlyMap<string, UserActor>,
  incidents: readonly Incident[],
  now: Date,
): Promise<void> {
  const pl = actors.get('PL')!;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day).toISOString();
  const horizon = new Date(now.getTime() + 540 * day).toISOString().slice(0, 10);
  const set = await outlook.scenarios.create(pl, {
    title: 'How the war in Ukraine ends',
    question: 'Which outcome will hold at the horizon, and what does it mean for the eastern flank?',
    horizon,
    scenarios: SCENARIOS,
    tlp: 'green',
  });
  for (const s of SIGNPOSTS)
    await outlook.scenarios.addSignpost(pl, set.id, {
      key: s.key,
      title: s.title,
      likelihoods: Object.fromEntries(SCENARIOS.map((x, i) => [x.key, s.p[i]!])),
    });
  await outlook.scenarios.putImpacts(
    pl,
    set.id,
    Object.fromEntries(
      Object.entries(IMPACTS).map(([m, levels]) => [
        m,
        Object.fromEntries(SCENARIOS.map((x, i) => [x.key, levels[i]!])),
      ]),
    ),
  );
  // Evidence: hybrid incidents every member may read.
  const hybrid = incidents
    .filter((i) => ['cyber', 'disinformation'].includes(i.category) && ['clear', 'green', 'amber'].includes(i.tlp))
    .filter((i) => i.audience.length === 0)
    .slice(0, 3)
    .map((i) => i.id);
  const observations = [
    {
      signpost: 'hybrid-surge',
      observed: true,
      confidence: 0.9,
      daysAgo: 20,
      evidence: hybrid,
      note: 'Grey Lantern wave',
    },
    {
      signpost: 'mobilisation',
      observed: true,
      confidence: 0.8,
      daysAgo: 15,
      note: 'Decree reported, not yet confirmed',
    },
    { signpost: 'direct-talks', observed: false, confidence: 0.7, daysAgo: 10, note: 'Proposed summit postponed' },
    { signpost: 'western-aid', observed: true, confidence: 0.95, daysAgo: 5, note: 'Package adopted by parliament' },
  ];
  for (const { daysAgo, ...o } of observations)
    await outlook.scenarios.addObservation(pl, set.id, { ...o, observedAt: at(daysAgo) });

  const lt = actors.get('LT')!;
  const q = await outlook.questions.create(lt, {
    title: 'Will leader-level direct talks be announced within 60 days?',
    resolutionCriteria: 'Both governments announce a meeting of heads of state or government, with a date.',
    closesAt: new Date(now.getTime() + 60 * day).toISOString(),
    tlp: 'green',
    signpost: { set: set.id, key: 'direct-talks' },
  });
  const forecasts: Array<[string, number, string]> = [
    ['PL', 0.15, 'No change in stated positions; the summit was postponed.'],
    ['LT', 0.25, 'Mediators are active; an announcement is possible before a holiday truce.'],
    ['EE', 0.1, 'The aggressor gains from waiting while its offensive continues.'],
  ];
  for (const [org, yes, rationale] of forecasts)
    await outlook.questions.forecast(actors.get(org)!, q.id, {
      probabilities: { yes, no: Math.round((1 - yes) * 1000) / 1000 },
      rationale,
    });

  const a = await outlook.ach.create(actors.get('EE')!, {
    title: 'Who is behind the Grey Lantern DDoS wave?',
    hypotheses: [
      { key: 'state-service', title: 'A state intelligence service' },
      { key: 'hacktivists', title: 'Independent hacktivists' },
      { key: 'criminals', title: 'Criminal extortion group' },
    ],
    tlp: 'amber',
  });
  const evidence = [
    {
      key: 'shared-infra',
      title: 'Infrastructure shared with earlier state-linked operations',
      c: 'high',
      r: 'high',
      ratings: ['CC', 'I', 'I'],
    },
    { key: 'no-ransom', title: 'No ransom demand was made', c: 'high', r: 'medium', ratings: ['C', 'C', 'II'] },
    {
      key: 'channel-claim',
      title: 'A hacktivist channel claimed the attacks',
      c: 'low',
      r: 'medium',
      ratings: ['N', 'CC', 'I'],
    },
    {
      key: 'timing',
      title: 'Attacks timed with a disinformation narrative',
      c: 'medium',
      r: 'high',
      ratings: ['CC', 'N', 'I'],
    },
  ] as const;
  for (const e of evidence)
    await outlook.ach.putEvidence(actors.get('EE')!, a.id, {
      key: e.key,
      title: e.title,
      credibility: e.c,
      relevance: e.r,
      ratings: { 'state-service': e.ratings[0], hacktivists: e.ratings[1], criminals: e.ratings[2] },
    });
}
