/**
 * The outlook's part of a briefing (the briefings context's OutlookPort): for each scenario set the reader
 * may read, each scenario's probability at the end of the period and its change over the period, and each
 * member's readiness. Only observations made by the period's end count, so a briefing of a past period
 * says what was known then, and one ending now gives the current probabilities. Pure.
 */
import type { Tlp } from '../../kernel/access/tlp.ts';
import { postureOf, probabilitiesOf, type SetState } from './outlook.ts';

/** At most this many sets and rows (the briefing's tables are bounded). */
export const BRIEFING_SETS = 20;
export const BRIEFING_ROWS = 50;

export interface BriefingOutlook {
  section: {
    scenarios: Array<{ name: string; probability: number; change: number }>;
    posture: Array<{ member: string; posture: string }>;
  };
  /** The release of every set the section uses, so the briefing's own release covers them. */
  held: Array<{ id: string; modified: string; author: string; tlp: Tlp; audience: readonly string[] }>;
}

const READINESS_WORDS: Record<string, string> = {
  normal: 'normal',
  elevated: 'elevated',
  high: 'high',
  'very-high': 'very high',
};

/** As the set stood when only observations made up to `t` (inclusive, or before it) were known. */
function asOf(s: SetState, t: number, inclusive: boolean): SetState {
  return {
    ...s,
    observations: s.observations.filter((o) => {
      const at = Date.parse(o.observedAt);
      return inclusive ? at <= t : at < t;
    }),
  };
}

/** `states` are the sets the reader may read, newest first. */
export function briefingOutlook(states: readonly SetState[], from: string, to: string): BriefingOutlook {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const scenarios: BriefingOutlook['section']['scenarios'] = [];
  const posture: BriefingOutlook['section']['posture'] = [];
  for (const s of states.slice(0, BRIEFING_SETS)) {
    const atEnd = asOf(s, end, true);
    const now = probabilitiesOf(atEnd);
    const before = probabilitiesOf(asOf(s, start, false));
    for (const x of s.set.scenarios)
      scenarios.push({
        name: `${s.set.title}: ${x.title}`,
        probability: now[x.key]!,
        change: now[x.key]! - before[x.key]!,
      });
    for (const m of postureOf(atEnd, now))
      posture.push({
        member: m.member,
        posture: `${READINESS_WORDS[m.readiness] ?? m.readiness} (expected threat ${m.expectedThreat.toFixed(2)}; ${s.set.title})`,
      });
  }
  return {
    section: { scenarios: scenarios.slice(0, BRIEFING_ROWS), posture: posture.slice(0, BRIEFING_ROWS) },
    held: states.slice(0, BRIEFING_SETS).map((s) => ({
      id: s.set.id,
      modified: s.set.updatedAt,
      author: s.set.author,
      tlp: s.set.tlp,
      audience: s.set.audience,
    })),
  };
}
