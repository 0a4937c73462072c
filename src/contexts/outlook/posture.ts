/**
 * Posture of each member from a scenario set (api.md, Outlook): the expected threat is Σ probability ·
 * impact level over the scenarios, the readiness its band, the drivers each scenario's contribution. Pure.
 */
import { EPSILON } from './bayes.ts';

export const READINESS = ['normal', 'elevated', 'high', 'very-high'] as const;
export type Readiness = (typeof READINESS)[number];

/** Impact levels 1–5 by member code, then by scenario key. */
export type Impacts = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface Driver {
  scenario: string;
  contribution: number;
}

export interface MemberPosture {
  member: string;
  expectedThreat: number;
  readiness: Readiness;
  drivers: Driver[];
}

/** normal (< 2), elevated (2 ≤ x < 3), high (3 ≤ x < 4), very-high (≥ 4); a bound is reached within EPSILON. */
export function readinessOf(x: number): Readiness {
  if (x >= 4 - EPSILON) return 'very-high';
  if (x >= 3 - EPSILON) return 'high';
  if (x >= 2 - EPSILON) return 'elevated';
  return 'normal';
}

/** Every member of the matrix, in code order; drivers largest first (ties by scenario key). */
export function posture(probabilities: Readonly<Record<string, number>>, impacts: Impacts): MemberPosture[] {
  return Object.keys(impacts)
    .sort()
    .map((member) => {
      const row = impacts[member]!;
      const drivers = Object.keys(probabilities).map((scenario) => ({
        scenario,
        contribution: probabilities[scenario]! * (row[scenario] ?? 0),
      }));
      drivers.sort((a, b) =>
        Math.abs(a.contribution - b.contribution) > EPSILON
          ? b.contribution - a.contribution
          : a.scenario.localeCompare(b.scenario),
      );
      const expectedThreat = drivers.reduce((s, d) => s + d.contribution, 0);
      return { member, expectedThreat, readiness: readinessOf(expectedThreat), drivers };
    });
}

/** Members whose readiness differs between two postures (a member only in one counts as a change). */
export function readinessChanges(
  before: readonly MemberPosture[],
  after: readonly MemberPosture[],
): Array<{ member: string; from: Readiness | null; to: Readiness | null }> {
  const was = new Map(before.map((m) => [m.member, m.readiness]));
  const now = new Map(after.map((m) => [m.member, m.readiness]));
  const members = [...new Set([...was.keys(), ...now.keys()])].sort();
  return members
    .filter((m) => was.get(m) !== now.get(m))
    .map((member) => ({ member, from: was.get(member) ?? null, to: now.get(member) ?? null }));
}
