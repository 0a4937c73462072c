/**
 * Code lists the registers check: ISO 3166 areas (country or subdivision) for humanitarian needs. Pure
 * (the iso-3166 package is data only).
 */
import { iso31661, iso31662 } from 'iso-3166';

const COUNTRIES: ReadonlySet<string> = new Set(iso31661.map((c) => c.alpha2));
const SUBDIVISIONS: ReadonlySet<string> = new Set(iso31662.map((s) => s.code));

/** An ISO 3166-1 alpha-2 country code or an ISO 3166-2 subdivision code (e.g. UA, UA-14). */
export function isArea(code: string): boolean {
  return COUNTRIES.has(code) || SUBDIVISIONS.has(code);
}

/** The country of an area code (UA-14 → UA). */
export function countryOf(area: string): string {
  const dash = area.indexOf('-');
  return dash < 0 ? area : area.slice(0, dash);
}
