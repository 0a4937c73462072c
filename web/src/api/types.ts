/**
 * Shapes of the API. Where a context exports zod schemas (src/contexts/*\/*.schema.ts) the types
 * are inferred from them (type-only imports: nothing of the server is bundled); the rest
 * (members, me, admin users) follows shared/docs/api.md and src/contexts/sharing/sharing.routes.ts.
 */
import type { Tlp } from '../../../src/contexts/sharing/tlp.ts';
import type { OrgKind } from '../../../src/contexts/sharing/organisations.ts';
import type { z } from 'zod';
import type { CorrelationsView, CreateIncidentBody, IncidentView } from '../../../src/contexts/intel/incident.schema.ts';
import type { AssessmentBody, AssessmentResponse } from '../../../src/contexts/treaty/treaty.schema.ts';

export type { Tlp, OrgKind };

export interface Member {
  code: string;
  name: string;
  kind: OrgKind;
  joined: string | null;
}

export interface Me {
  user: { id: string; name: string; role: string };
  organisation: Member;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export const CATEGORIES = [
  'disinformation',
  'cyber',
  'economic-pressure',
  'covert-support',
  'sabotage',
  'airspace-violation',
  'migration-pressure',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface LatLon {
  lat: number;
  lon: number;
}

export interface Observable {
  type: string;
  value: string;
}

/** The server's own schemas, imported as types only (their modules use node: built-ins). */
export type Incident = z.infer<typeof IncidentView>;
export type NewIncident = z.input<typeof CreateIncidentBody>;
export type Correlation = z.infer<typeof CorrelationsView>['items'][number];
export type Assessment = z.infer<typeof AssessmentResponse>;
export type AssessmentRequest = z.input<typeof AssessmentBody>;
export type TargetKind = AssessmentRequest['target']['kind'];
export type Nature = AssessmentRequest['nature'];

export interface AdminUser {
  id: string;
  name: string;
  org: string;
  role: string;
  createdAt: string;
  disabled: boolean;
}

/** One event of the live stream as the console keeps it. */
export interface StreamEvent {
  id: string;
  event: string;
  data: unknown;
  receivedAt: number;
}
