import type { Clock } from '../../platform/clock.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import type { CreateProposalInput } from './proposal.schema.ts';

/** Test support: a clock that moves only when told, actors of any organisation, proposal inputs. */
export class ManualClock implements Clock {
  constructor(public t: number) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  iso(plusMs = 0): string {
    return new Date(this.t + plusMs).toISOString();
  }
}

export function userOf(
  org: string,
  role: 'analyst' | 'admin' = 'analyst',
  name = `${org.toLowerCase()}-${role}`,
): UserActor {
  const o = ORGANISATIONS.find((x) => x.code === org);
  if (!o) throw new Error(`no organisation ${org}`);
  return { kind: 'user', userId: `id-${name}`, userName: name, org, orgKind: o.kind, role };
}

export function silenceInput(clock: ManualClock, over: Partial<CreateProposalInput> = {}): CreateProposalInput {
  return {
    title: 'Coordinated attribution of the cable sabotage',
    kind: 'coordinated-response',
    text: 'The Council attributes the sabotage of the Baltic cables and agrees coordinated measures.',
    procedure: 'silence',
    silenceEndsAt: clock.iso(60_000),
    ...over,
  };
}

export function meetingInput(over: Partial<CreateProposalInput> = {}): CreateProposalInput {
  return {
    title: 'Support package',
    kind: 'support-package',
    text: 'Air defence support.',
    procedure: 'meeting',
    ...over,
  };
}
