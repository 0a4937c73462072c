import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SetViewT } from '../../../src/contexts/outlook/outlook.schema.ts';
import {
  explanations,
  forecastOf,
  historySeries,
  logOdds,
  pct,
  points,
  sectionOf,
  sensitivitySentences,
} from './logic.ts';

const set: SetViewT = {
  id: 'bulwark-scenario-set--1',
  title: 'War',
  question: 'How does it end?',
  horizon: '2027-06-01',
  author: 'PL',
  tlp: 'green',
  audience: [],
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-20T00:00:00.000Z',
  scenarios: [
    { key: 'war', title: 'War goes on', description: null, prior: 0.5, probability: 0.8 },
    { key: 'peace', title: 'Peace', description: null, prior: 0.5, probability: 0.2 },
  ],
  signposts: [{ key: 'mob', title: 'Mobilisation', description: null, likelihoods: { war: 0.8, peace: 0.2 } }],
  observations: [
    {
      id: 'o1',
      signpost: 'mob',
      observed: true,
      confidence: 1,
      observedAt: '2026-11-10T00:00:00.000Z',
      evidence: ['incident--a'],
      note: null,
      createdAt: '2026-11-10T00:00:00.000Z',
      createdBy: 'x',
    },
  ],
  history: [
    {
      observation: 'o1',
      at: '2026-11-10T00:00:00.000Z',
      probabilities: { war: 0.8, peace: 0.2 },
      shifts: { war: { points: 30, logOdds: 1.386 }, peace: { points: -30, logOdds: -1.386 } },
    },
  ],
  impacts: {},
};

describe('outlook console logic', () => {
  it('writes numbers in plain words', () => {
    expect(pct(0.3421)).toBe('34.2%');
    expect(points(4.21)).toBe('+4.2 points');
    expect(points(-1.26)).toBe('−1.3 points');
    expect(points(-0.01)).toBe('0.0 points');
    expect(logOdds(-1.386)).toBe('−1.39');
  });

  it('explains an observation by its shifts, largest first, and the signpost’s likelihoods', () => {
    const [e] = explanations(set);
    expect(e!.moves.map((m) => [m.scenario, m.points])).toEqual([
      ['peace', -30],
      ['war', 30],
    ]);
    expect(e!.why).toBe(
      'Seen (confidence 100%): it was expected with 80% under “War goes on” and 20% under “Peace”, so the scenarios that expected it gain.',
    );
    const half = explanations({ ...set, observations: [{ ...set.observations[0]!, confidence: 0.5 }] });
    expect(half[0]!.why).toContain('nothing moved');
  });

  it('draws the history from the priors through each observation to today', () => {
    const now = new Date('2026-12-01T00:00:00.000Z');
    const war = historySeries(set, now).filter((p) => p.scenario === 'War goes on');
    expect(war.map((p) => [p.at.toISOString().slice(0, 10), p.probability])).toEqual([
      ['2026-11-10', 0.5],
      ['2026-11-10', 0.8],
      ['2026-12-01', 0.8],
    ]);
  });

  it('says which observation decides the leader', () => {
    const s = sensitivitySentences(set, {
      id: set.id,
      leaders: ['war'],
      decisive: [
        {
          observation: 'o1',
          signpost: 'mob',
          observedAt: '2026-11-10T00:00:00.000Z',
          leadersWithout: ['war', 'peace'],
        },
      ],
    });
    expect(s.leaders).toBe('“War goes on” ranks first.');
    expect(s.decisive).toEqual([
      'Without the observation of “Mobilisation” on 2026-11-10, “War goes on” and “Peace” would rank first.',
    ]);
  });

  it('turns slider weights into a forecast the API accepts (each 0.001–0.999, summing to 1)', () => {
    expect(forecastOf({ yes: 25, no: 75 })).toEqual({ yes: 0.25, no: 0.75 });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 20 }), (ws) => {
        const f = forecastOf(Object.fromEntries(ws.map((w, i) => [`o${i}`, w])));
        const values = Object.values(f);
        expect(Math.abs(values.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-6);
        if (ws.length <= 10 && ws.some((w) => w > 0))
          for (const v of values) expect(v >= 0.001 - 1e-12 && v <= 0.999 + 1e-12).toBe(true);
      }),
    );
  });

  it('finds the section an address names', () => {
    expect(sectionOf(undefined)).toEqual({ section: 'scenarios', selected: undefined });
    expect(sectionOf('questions')).toEqual({ section: 'questions', selected: undefined });
    expect(sectionOf('bulwark-ach-matrix--x')).toEqual({ section: 'ach', selected: 'bulwark-ach-matrix--x' });
  });
});
