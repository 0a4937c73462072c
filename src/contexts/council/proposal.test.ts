import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../platform/errors.ts';
import {
  apply,
  isTerminal,
  membersOn,
  type CouncilEvent,
  type PositionKind,
  type Procedure,
  type ProposalState,
} from './proposal.ts';

const MEMBERS = ['DE', 'FR', 'PL', 'TR'];
const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const DEADLINE = new Date(T0 + 10_000).toISOString();
const iso = (ms: number) => new Date(ms).toISOString();

const initial = (procedure: Procedure): ProposalState => ({
  procedure,
  status: 'circulating',
  members: MEMBERS,
  silenceEndsAt: procedure === 'silence' ? DEADLINE : null,
  positions: {},
  decidedAt: null,
});

type Step =
  | { type: 'position'; org: string; position: PositionKind; dt: number }
  | { type: 'tick' | 'close' | 'withdraw'; dt: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    type: fc.constant('position' as const),
    org: fc.constantFrom(...MEMBERS, 'UA'),
    position: fc.constantFrom<PositionKind>('concur', 'break-silence', 'reservation'),
    dt: fc.integer({ min: 0, max: 3000 }),
  }),
  fc.record({
    type: fc.constantFrom('tick' as const, 'close' as const, 'withdraw' as const),
    dt: fc.integer({ min: 0, max: 3000 }),
  }),
);

function toEvents(steps: Step[]): CouncilEvent[] {
  let t = T0;
  return steps.map((s) => {
    t += s.dt;
    const at = iso(t);
    return s.type === 'position'
      ? {
          type: 'position',
          org: s.org,
          position: s.position,
          statement: s.position === 'reservation' ? 'footnote' : null,
          at,
        }
      : { type: s.type, at };
  });
}

/** The rules of api.md restated as a plain loop: the reference the state machine must agree with. */
function reference(procedure: Procedure, events: CouncilEvent[]): { status: string; decidedAt: string | null } {
  let status = 'circulating';
  let decidedAt: string | null = null;
  const pos = new Map<string, PositionKind>();
  for (const e of events) {
    if (status !== 'circulating') break;
    if (procedure === 'silence' && Date.parse(e.at) >= Date.parse(DEADLINE)) {
      status = [...pos.values()].includes('reservation') ? 'adopted-with-reservations' : 'adopted';
      decidedAt = DEADLINE;
      break;
    }
    if (e.type === 'position' && MEMBERS.includes(e.org)) {
      pos.set(e.org, e.position);
      if (procedure === 'silence' && e.position === 'break-silence') [status, decidedAt] = ['silence-broken', e.at];
    } else if (e.type === 'withdraw') {
      [status, decidedAt] = ['withdrawn', e.at];
    } else if (e.type === 'close' && procedure === 'meeting') {
      const all = MEMBERS.every((m) => pos.get(m) === 'concur' || pos.get(m) === 'reservation');
      if (all)
        [status, decidedAt] = [
          [...pos.values()].includes('reservation') ? 'adopted-with-reservations' : 'adopted',
          e.at,
        ];
    }
  }
  return { status, decidedAt };
}

function run(procedure: Procedure, events: CouncilEvent[]): ProposalState {
  let s = initial(procedure);
  let terminalAt: ProposalState | null = null;
  for (const e of events) {
    let next: ProposalState;
    try {
      next = apply(s, e);
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      const code = (err as DomainError).code;
      expect(['conflict', 'forbidden']).toContain(code);
      if (terminalAt) expect(code).toBe('conflict');
      continue;
    }
    if (terminalAt) expect(next).toEqual(terminalAt);
    s = next;
    expect(s.decidedAt !== null).toBe(isTerminal(s.status));
    if (isTerminal(s.status) && !terminalAt) terminalAt = s;
  }
  return s;
}

describe('council state machine', () => {
  it('membership follows accession dates', () => {
    expect(membersOn('2023-04-03')).toHaveLength(30);
    expect(membersOn('2023-04-04')).toContain('FI');
    expect(membersOn('2024-03-07')).toHaveLength(32);
    expect(membersOn('1949-08-24')).toHaveLength(12);
  });

  it('any sequence of positions and ticks ends in exactly one terminal state that agrees with the rules', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Procedure>('silence', 'meeting'),
        fc.array(step, { maxLength: 40 }),
        (procedure, steps) => {
          const events = toEvents(steps);
          const last = events.length ? Date.parse(events[events.length - 1]!.at) : T0;
          // Drive the procedure to its end: the deadline passes, then the chair closes, then the author withdraws.
          const tail: CouncilEvent[] = [
            { type: 'tick', at: iso(Math.max(last, T0 + 20_000)) },
            { type: 'close', at: iso(Math.max(last, T0 + 20_000) + 1) },
            { type: 'withdraw', at: iso(Math.max(last, T0 + 20_000) + 2) },
          ];
          const all = [...events, ...tail];
          const final = run(procedure, all);
          expect(isTerminal(final.status)).toBe(true);
          const ref = reference(procedure, all);
          expect({ status: final.status, decidedAt: final.decidedAt }).toEqual(ref);
          if (final.status === 'adopted' && procedure === 'silence')
            expect(Object.values(final.positions).some((p) => p.position === 'break-silence')).toBe(false);
          if (final.status === 'adopted-with-reservations')
            expect(Object.values(final.positions).some((p) => p.position === 'reservation' && p.statement)).toBe(true);
          if (procedure === 'meeting') expect(final.status).not.toBe('silence-broken');
          expect(Object.keys(final.positions).every((o) => MEMBERS.includes(o))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('one break-silence ends a silence procedure at once; later events are refused', () => {
    let s = apply(initial('silence'), {
      type: 'position',
      org: 'PL',
      position: 'reservation',
      statement: 'PL footnote',
      at: iso(T0 + 1),
    });
    s = apply(s, { type: 'position', org: 'FR', position: 'break-silence', statement: null, at: iso(T0 + 2) });
    expect(s.status).toBe('silence-broken');
    expect(s.decidedAt).toBe(iso(T0 + 2));
    expect(() =>
      apply(s, { type: 'position', org: 'DE', position: 'concur', statement: null, at: iso(T0 + 3) }),
    ).toThrow(/already silence-broken.*never changes/);
    expect(apply(s, { type: 'tick', at: iso(T0 + 99_000) })).toBe(s);
  });

  it('a position after the deadline cannot break silence even before the settlement is recorded', () => {
    const s = initial('silence');
    expect(() =>
      apply(s, { type: 'position', org: 'FR', position: 'break-silence', statement: null, at: DEADLINE }),
    ).toThrow(/already adopted/);
    expect(apply(s, { type: 'tick', at: DEADLINE })).toMatchObject({ status: 'adopted', decidedAt: DEADLINE });
  });

  it('a meeting closes only with every member concurring, and positions change until then', () => {
    let s = initial('meeting');
    for (const m of MEMBERS)
      s = apply(s, {
        type: 'position',
        org: m,
        position: m === 'TR' ? 'break-silence' : 'concur',
        statement: null,
        at: iso(T0 + 1),
      });
    expect(() => apply(s, { type: 'close', at: iso(T0 + 2) })).toThrow(/no consensus: 1 member\(s\).*TR/);
    s = apply(s, { type: 'position', org: 'TR', position: 'reservation', statement: 'TR footnote', at: iso(T0 + 3) });
    s = apply(s, { type: 'close', at: iso(T0 + 4) });
    expect(s).toMatchObject({ status: 'adopted-with-reservations', decidedAt: iso(T0 + 4) });
  });

  it('non-members take no position; a silence procedure is not closed by the chair', () => {
    expect(() =>
      apply(initial('meeting'), { type: 'position', org: 'UA', position: 'concur', statement: null, at: iso(T0) }),
    ).toThrow(/not a member/);
    expect(() => apply(initial('silence'), { type: 'close', at: iso(T0) })).toThrow(/deadline/);
  });
});
