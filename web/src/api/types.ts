/**
 * Shapes of the API, inferred from the server's own zod schemas (src/contexts/*\/*.schema.ts) with
 * type-only imports: nothing of the server is bundled, and the console cannot drift from the API.
 */
import type { Tlp } from '../../../src/kernel/access/tlp.ts';
import type { OrgKind } from '../../../src/kernel/access/organisation.ts';
import type { AdminUser, Me, Member } from '../../../src/contexts/sharing/sharing.schema.ts';
import type { z } from 'zod';
import type {
  CorrelationsView,
  CreateIncidentBody,
  IncidentView,
} from '../../../src/contexts/intel/incident.schema.ts';
import type { AssessmentBody, AssessmentResponse } from '../../../src/contexts/treaty/treaty.schema.ts';

export type { Tlp, OrgKind, AdminUser, Me, Member };

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
// The list is the console's own (the server's module is not bundled); the compiler holds it to the API's.
type ServerCategory = z.infer<typeof CreateIncidentBody>['category'];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const CATEGORIES_MATCH_API: Same<ServerCategory, Category> = true;

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

/** One event of the live stream as the console keeps it. */
export interface StreamEvent {
  id: string;
  event: string;
  data: unknown;
  receivedAt: number;
}
