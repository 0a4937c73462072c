import type { Actor } from '../../kernel/access/actor.ts';
import { treatyAreasGeoJson } from './areas.ts';
import { assess, type Assessment, type AssessmentInput } from './assessment.ts';
import { checkDeployment, type DeploymentCheck, type DeploymentInput, type MandateRecord } from './deployment.ts';
import type { Placement, TreatyGeography } from './geography.ts';
import { calendarDate, partiesOn, partnersOn } from './membership.ts';

/** Looks up a council proposal for a deployment check; undefined when missing or not visible to the actor. */
export type MandateLookup = (proposalId: string, actor: Actor) => Promise<MandateRecord | undefined>;

/** The lookup used when no council context is wired: every proposal is reported as not found. */
export const noCouncil: MandateLookup = async () => undefined;

export interface AssessRequest {
  occurredAt: string;
  location: { lat: number; lon: number };
  target: AssessmentInput['target'];
  nature: AssessmentInput['nature'];
}

export type AssessResult = Assessment & {
  location: Pick<Placement, 'date' | 'onLand' | 'sea'> & {
    territories: Pick<
      Placement['territories'][number],
      'unit' | 'state' | 'clause' | 'territorialSea' | 'distanceKm'
    >[];
  };
};

export class TreatyService {
  constructor(private readonly deps: { geography: () => TreatyGeography; mandates: MandateLookup }) {}

  /** Loads the geography now rather than on the first assessment. */
  warm(): void {
    this.deps.geography();
  }

  assess(req: AssessRequest): AssessResult {
    const date = calendarDate(req.occurredAt);
    const p = this.deps.geography().place(req.location.lon, req.location.lat, date);
    const a = assess({ date, target: req.target, nature: req.nature }, p);
    const territories = p.territories.map((t) => ({
      unit: t.unit,
      state: t.state,
      clause: t.clause,
      territorialSea: t.territorialSea,
      distanceKm: Math.round(t.distanceKm * 100) / 100,
    }));
    return {
      article5: a.article5,
      article4: a.article4,
      partyIsMember: a.partyIsMember,
      inTreatyArea: a.inTreatyArea,
      area: a.area,
      reasons: a.reasons,
      location: { date, onLand: p.onLand, sea: p.sea, territories },
    };
  }

  members(on: string): {
    on: string;
    count: number;
    parties: { code: string; name: string; joined: string | null }[];
    partners: { code: string; name: string; joined: string | null; kind: 'member' | 'partner' }[];
  } {
    const day = calendarDate(on);
    const parties = partiesOn(day).map((o) => ({ code: o.code, name: o.name, joined: o.joined }));
    const partners = partnersOn(day).map((o) => ({ code: o.code, name: o.name, joined: o.joined, kind: o.kind }));
    return { on: day, count: parties.length, parties, partners };
  }

  async checkDeployment(
    actor: Actor,
    input: Omit<DeploymentInput, 'date'> & { date: string },
  ): Promise<DeploymentCheck> {
    const mandate = input.councilDecision ? await this.deps.mandates(input.councilDecision, actor) : undefined;
    return checkDeployment({ ...input, date: calendarDate(input.date) }, mandate);
  }

  areas(winding: 'rfc7946' | 'd3' = 'rfc7946'): ReturnType<typeof treatyAreasGeoJson> {
    return treatyAreasGeoJson(winding);
  }
}
