/**
 * Humanitarian needs per place, for the situation map's humanitarian layer. Pure. The register's areas
 * are ISO 3166 countries or subdivisions; the offline atlas has country shapes only, so a subdivision is
 * drawn at its country: one place per country, whose figure is, per sector, the need stated for the
 * country when there is one, else the sum over its subdivisions, and whose headline is its largest sector.
 */
import type { NeedViewT } from '../../../src/contexts/registers/humanitarian.schema.ts';

export interface NeedPlace {
  /** ISO 3166-1 alpha-2 country code. */
  country: string;
  /** Centre of the country on the atlas (lon, lat); null when the atlas does not draw it. */
  centre: [number, number] | null;
  /** People in need of the largest sector, and that sector. */
  peopleInNeed: number;
  sector: string;
  /** The register's latest needs in the country (country and subdivisions), largest first. */
  needs: NeedViewT[];
}

export function countryOfArea(area: string): string {
  const dash = area.indexOf('-');
  return dash < 0 ? area : area.slice(0, dash);
}

/** Groups the needs (the latest per area and sector, as the summary answers them) by country, largest first. */
export function needPlaces(
  items: readonly NeedViewT[],
  centreOf: (country: string) => [number, number] | null,
): NeedPlace[] {
  const by = new Map<string, NeedViewT[]>();
  for (const n of items) {
    const c = countryOfArea(n.area);
    const list = by.get(c) ?? [];
    list.push(n);
    by.set(c, list);
  }
  const places: NeedPlace[] = [];
  for (const [country, needs] of by) {
    const stated = new Map<string, number>();
    const summed = new Map<string, number>();
    for (const n of needs) {
      const m = n.area === country ? stated : summed;
      m.set(n.sector, (m.get(n.sector) ?? 0) + n.peopleInNeed);
    }
    let sector = '';
    let peopleInNeed = -1;
    for (const s of new Set([...stated.keys(), ...summed.keys()])) {
      const v = stated.get(s) ?? summed.get(s) ?? 0;
      if (v > peopleInNeed || (v === peopleInNeed && s < sector)) [sector, peopleInNeed] = [s, v];
    }
    needs.sort((a, b) => b.peopleInNeed - a.peopleInNeed || a.area.localeCompare(b.area));
    places.push({ country, centre: centreOf(country), peopleInNeed, sector, needs });
  }
  return places.sort((a, b) => b.peopleInNeed - a.peopleInNeed || a.country.localeCompare(b.country));
}

/** People as words a screen reader reads well: 1,234 / 12.3 thousand / 3.4 million. */
export function peopleText(n: number): string {
  if (n >= 1e6) return `${(Math.round(n / 1e5) / 10).toLocaleString('en-GB')} million`;
  if (n >= 1e4) return `${(Math.round(n / 1e2) / 10).toLocaleString('en-GB')} thousand`;
  return n.toLocaleString('en-GB');
}
