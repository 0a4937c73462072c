import {
  EUROPE,
  MEDITERRANEAN,
  NORTH_AMERICA,
  NORTH_ATLANTIC,
  TROPIC_OF_CANCER,
  TURKISH_STRAITS,
  WEST_BERLIN,
  inRegion,
} from './areas.ts';
import { emptyReport, repairPolygon, type RepairReport, type Ring } from './geometry.ts';
import { jurisdictionOf, stateOn, type Jurisdiction } from './jurisdiction.ts';
import { isPartyOn, TREATY_IN_FORCE } from './membership.ts';
import { DEFAULT_INDEX_OPTIONS, PolygonIndex, type IndexOptions, type PartGrid } from './spatial-index.ts';

/**
 * Article 6 geography: classifies any point on any date. Built from admin-0 units (Natural Earth
 * via world-atlas, or synthetic units in tests). Pure: the loader does the reading.
 */
export const AREA_CLAUSES = [
  'article-6-i-europe',
  'article-6-i-north-america',
  'article-6-i-turkey',
  'article-6-i-islands',
  'article-6-i-algerian-departments',
  'article-6-ii-occupation-areas',
  'article-6-ii-mediterranean',
  'article-6-ii-north-atlantic',
] as const;
export type AreaClause = (typeof AREA_CLAUSES)[number];

export type PartRegion = 'europe' | 'north-america' | 'turkey' | 'north-atlantic-island' | 'elsewhere';

export interface UnitInput {
  name: string;
  /** Polygons as GeoJSON coordinates ([lon, lat]). */
  polygons: number[][][][];
  /** Per polygon: true when it is an island (shares no boundary with another unit). Default true. */
  islands?: boolean[];
  jurisdiction?: Jurisdiction;
}

export interface PartInfo {
  unit: string;
  jurisdiction: Jurisdiction;
  region: PartRegion;
  island: boolean;
  /** Internal waters drawn by the engine (not land). */
  water: boolean;
}

export interface TerritoryHit {
  /** Index of the polygon part that was hit (stable for a loaded geography). */
  part: number;
  unit: string;
  state: string | null;
  clause: AreaClause | null;
  /** True when the point is not on the land but within the 12-nautical-mile territorial sea. */
  territorialSea: boolean;
  distanceKm: number;
  island: boolean;
  region: PartRegion;
}

export interface Placement {
  /** Identifies the geography that placed the point (part numbers are only meaningful within it). */
  geographyId: number;
  lon: number;
  lat: number;
  date: string;
  territories: TerritoryHit[];
  onLand: boolean;
  sea: 'mediterranean' | 'north-atlantic' | null;
  occupationArea: string | null;
  /** The first applicable clause of Article 6, or null when the point is outside the treaty area. */
  area: AreaClause | null;
}

const CLAUSE_OF_REGION: Record<PartRegion, AreaClause | null> = {
  europe: 'article-6-i-europe',
  'north-america': 'article-6-i-north-america',
  turkey: 'article-6-i-turkey',
  'north-atlantic-island': 'article-6-i-islands',
  elsewhere: null,
};

/** Places one part: its unit's fixed continent, or a vote of its vertices against the frames. */
export function regionOfPart(j: Jurisdiction, rings: readonly Ring[], island: boolean): PartRegion {
  if (j.continent !== 'by-frame') return j.continent;
  const outer = rings[0] ?? [];
  const step = Math.max(1, Math.floor(outer.length / 200));
  let n = 0;
  let eu = 0;
  let na = 0;
  let atl = 0;
  for (let i = 0; i < outer.length; i += step) {
    const [x, y] = outer[i]!;
    n++;
    if (inRegion(EUROPE, x, y)) eu++;
    else if (inRegion(NORTH_AMERICA, x, y) && y > TROPIC_OF_CANCER) na++;
    if (y > TROPIC_OF_CANCER && inRegion(NORTH_ATLANTIC, x, y)) atl++;
  }
  if (eu * 2 > n) return 'europe';
  if (na * 2 > n) return 'north-america';
  if (island && atl * 2 > n) return 'north-atlantic-island';
  return 'elsewhere';
}

export interface GeographyData {
  parts: PartInfo[];
  rings: Ring[][];
  repair: RepairReport;
}

/** Repairs and places every part of every unit (the slow half of building; cacheable). */
export function prepareGeography(units: readonly UnitInput[]): GeographyData {
  const repair = emptyReport();
  const parts: PartInfo[] = [];
  const rings: Ring[][] = [];
  for (const u of units) {
    const j = u.jurisdiction ?? jurisdictionOf(u.name);
    u.polygons.forEach((poly, i) => {
      const island = u.islands?.[i] ?? true;
      for (const piece of repairPolygon(poly, repair)) {
        parts.push({ unit: u.name, jurisdiction: j, region: regionOfPart(j, piece, island), island, water: false });
        rings.push(piece);
      }
    });
  }
  parts.push({
    unit: 'Turkish Straits',
    jurisdiction: { state: 'TR', continent: 'turkey' },
    region: 'turkey',
    island: false,
    water: true,
  });
  rings.push(TURKISH_STRAITS.rings);
  return { parts, rings, repair };
}

let geographies = 0;

export class TreatyGeography {
  readonly index: PolygonIndex;
  readonly id = ++geographies;

  constructor(
    readonly data: GeographyData,
    opts: IndexOptions = DEFAULT_INDEX_OPTIONS,
    grids?: PartGrid[],
  ) {
    this.index = new PolygonIndex(data.rings, opts, grids);
  }

  static fromUnits(units: readonly UnitInput[], opts: IndexOptions = DEFAULT_INDEX_OPTIONS): TreatyGeography {
    return new TreatyGeography(prepareGeography(units), opts);
  }

  /** Classifies (lon, lat) on `date` (YYYY-MM-DD). */
  place(lon: number, lat: number, date: string): Placement {
    const hits = this.index.query(lon, lat);
    const territories: TerritoryHit[] = [];
    let onLand = false;
    let occupationArea: string | null = null;
    for (const h of hits) {
      const p = this.data.parts[h.part]!;
      if (h.inside && !p.water) onLand = true;
      const state = p.jurisdiction.formerly ? stateOn(p.jurisdiction, date) : p.jurisdiction.state;
      let clause: AreaClause | null = null;
      if (state !== null && isPartyOn(state, date)) {
        const f = p.jurisdiction.formerly;
        clause = f && date < f.until ? f.clause : CLAUSE_OF_REGION[p.region];
      }
      territories.push({
        part: h.part,
        unit: p.unit,
        state,
        clause,
        territorialSea: !h.inside,
        distanceKm: h.distanceKm,
        island: p.island,
        region: p.region,
      });
      const occ = p.jurisdiction.occupationUntil;
      if (h.inside && occ && date >= TREATY_IN_FORCE && date < occ) occupationArea = p.unit;
    }
    // On land, the land's own state only: a neighbour's territorial sea never reaches ashore. At sea,
    // where territorial seas overlap, the nearest coast wins (the median line, UNCLOS Art. 15).
    if (territories.length > 1) {
      const kept = (onLand ? territories.filter((t) => !t.territorialSea) : territories.slice()).sort(
        (a, b) => a.distanceKm - b.distanceKm,
      );
      if (!onLand) kept.length = 1;
      territories.length = 0;
      for (const t of kept)
        if (!territories.some((u) => u.unit === t.unit && u.clause === t.clause)) territories.push(t);
    }
    if (!occupationArea && date >= TREATY_IN_FORCE && date < '1990-10-03' && inRegion(WEST_BERLIN, lon, lat))
      occupationArea = 'West Berlin';
    let sea: Placement['sea'] = null;
    if (!onLand) {
      if (inRegion(MEDITERRANEAN, lon, lat)) sea = 'mediterranean';
      else if (lat > TROPIC_OF_CANCER && inRegion(NORTH_ATLANTIC, lon, lat)) sea = 'north-atlantic';
    }
    const territorial = territories.find((t) => t.clause !== null)?.clause ?? null;
    const area: AreaClause | null =
      territorial ??
      (occupationArea
        ? 'article-6-ii-occupation-areas'
        : sea === 'mediterranean'
          ? 'article-6-ii-mediterranean'
          : sea
            ? 'article-6-ii-north-atlantic'
            : null);
    return { geographyId: this.id, lon, lat, date, territories, onLand, sea, occupationArea, area };
  }
}
