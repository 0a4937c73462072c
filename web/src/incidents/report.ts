/** The report form's pure parts: the observable types it offers and the request body it sends. */
import type { NewIncident, Observable, Tlp } from '../api/types.ts';

/** The structured observable types of the intel schema (narratives have their own field). */
export const OBSERVABLE_TYPES = [
  'domain-name',
  'url',
  'ipv4-addr',
  'ipv6-addr',
  'email-addr',
  'file',
  'user-account',
  'autonomous-system',
  'mac-addr',
] as const;
type ObservableType = NonNullable<NewIncident['observables']>[number]['type'];

/** Builds the request body from the form's state; pure so the test can check it. */
export function buildIncident(f: {
  title: string;
  description: string;
  category: string;
  occurredAt: string;
  lat: string;
  lon: string;
  affected: string[];
  observables: Observable[];
  narratives: string;
  ttps: string[];
  tlp: Tlp;
  audience: string[];
}): NewIncident {
  const observables = f.observables
    .filter((o) => o.value.trim())
    .map((o) => ({ type: o.type as ObservableType, value: o.value.trim() }));
  const narratives = f.narratives
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  const hasPlace = f.lat.trim() !== '' && f.lon.trim() !== '';
  return {
    title: f.title.trim(),
    description: f.description.trim(),
    category: f.category as NewIncident['category'],
    occurredAt: new Date(f.occurredAt).toISOString(),
    ...(hasPlace ? { location: { lat: Number(f.lat), lon: Number(f.lon) } } : {}),
    affectedMembers: f.affected,
    ...(observables.length ? { observables } : {}),
    ...(narratives.length ? { narratives } : {}),
    ...(f.ttps.length ? { ttps: f.ttps } : {}),
    tlp: f.tlp,
    ...(f.audience.length ? { audience: f.audience } : {}),
  };
}
