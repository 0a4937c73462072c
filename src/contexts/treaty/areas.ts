import { bboxOf, densify, pointInRings, wind, type Position, type Ring } from './geometry.ts';

/**
 * The hand-drawn regions of Article 6, in lon/lat (planar, like Natural Earth). Their choices and
 * sources are in docs/treaty.md. The sea areas may be drawn across land: they are consulted only
 * for points that are not on land. Pure data and functions.
 */
export const TROPIC_OF_CANCER = 23.436;

export interface Region {
  id: string;
  title: string;
  rings: Ring[];
  bbox: [number, number, number, number];
}

const region = (id: string, title: string, ...rings: Position[][]): Region => {
  const closed = rings.map((r) => wind([...r, r[0]!], true));
  return { id, title, rings: closed, bbox: bboxOf(closed) };
};

export function inRegion(r: Region, x: number, y: number): boolean {
  const b = r.bbox;
  return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && pointInRings(x, y, r.rings);
}

/**
 * Europe, for parties with territory on several continents (FR, GB, NL, NO, PT, ES, US …): western
 * edge between Greenland and Iceland/Jan Mayen/Svalbard, south edge through the Strait of Gibraltar
 * (Gibraltar and Tarifa in, Ceuta out), the Alboran Sea (Alborán in, Melilla and the plazas out),
 * the Strait of Sicily (Pantelleria and the Pelagie Islands in, Tunisia out), south of Crete; east
 * edge along the Aegean, Bosporus, Caucasus crest, Caspian, Ural River and Ural Mountains. The
 * Azores, Madeira and the Canary Islands are left to the islands clause. Cyprus is in Asia.
 */
export const EUROPE = region('europe', 'Europe (Article 6(i))', [
  [-5, 90],
  [66, 90],
  [69, 77.5],
  [66.5, 68.5],
  [60, 65],
  [59.5, 60],
  [59, 55],
  [58.5, 51],
  [51.4, 51.2],
  [51.9, 47],
  [49.5, 40.9],
  [46, 42],
  [40, 43.4],
  [37.4, 44.8],
  [29.1, 41.2],
  [26.2, 40.05],
  [26.3, 39.9],
  [25.9, 37.9],
  [27.9, 35.3],
  [26, 34.5],
  [24, 34.3],
  [15, 35.2],
  [12.2, 35.3],
  [11.6, 36.3],
  [11.55, 37.1],
  [10, 37.6],
  [8.5, 37.75],
  [6, 37.6],
  [3, 37.3],
  [0, 36.3],
  [-1.5, 35.6],
  [-3, 35.75],
  [-4.8, 35.75],
  [-5.3, 35.98],
  [-6, 35.98],
  [-9, 36.6],
  [-11, 36.8],
  [-11, 44],
  [-12, 48],
  [-15, 50],
  [-15, 58.5],
  [-26, 63],
  [-25.5, 65],
  [-27.5, 66.3],
  [-20, 69.5],
  [-12, 72],
  [-8, 76],
  [-5, 80],
]);

/**
 * North America north of the Tropic of Cancer: the continent with Greenland, the Canadian Arctic,
 * Alaska and the whole Aleutian chain (a second ring west of the antimeridian). Hawaii (Oceania),
 * Bermuda (an Atlantic island) and the Caribbean (south of the Tropic) are outside.
 */
export const NORTH_AMERICA = region(
  'north-america',
  'North America (Article 6(i))',
  [
    [-5, 90],
    [-5, 80],
    [-8, 76],
    [-12, 72],
    [-20, 69.5],
    [-27.5, 66.3],
    [-40, 57.5],
    [-47, 49],
    [-55, 43],
    [-64, 39],
    [-72, 34.5],
    [-77, 29],
    [-79.5, 25.5],
    [-80, TROPIC_OF_CANCER],
    [-115, TROPIC_OF_CANCER],
    [-122, 30],
    [-127, 40],
    [-135, 47],
    [-160, 50],
    [-180, 50],
    [-180, 62],
    [-174, 62.5],
    [-172, 64],
    [-168.97, 65.5],
    [-168.97, 90],
  ],
  [
    [172, 50],
    [180, 50],
    [180, 56],
    [172, 56],
  ],
);

/**
 * The North Atlantic area north of the Tropic of Cancer: the Atlantic Ocean and its marginal seas
 * from the Tropic to the North Pole (after SACLANT's 1952 area "from the North Pole to the Tropic of
 * Cancer"): Gulf of Mexico, Gulf of St Lawrence, Hudson Bay, Baffin Bay, Labrador, Greenland,
 * Norwegian and Barents Seas (to Novaya Zemlya), White Sea, North Sea, Baltic, Channel, Irish Sea,
 * Bay of Biscay. Not the Pacific or Kara Sea side of the Arctic, nor the Mediterranean or Black Sea.
 */
export const NORTH_ATLANTIC = region(
  'north-atlantic',
  'North Atlantic area north of the Tropic of Cancer (Article 6(ii))',
  [
    [-100, TROPIC_OF_CANCER],
    [-100, 90],
    [65, 90],
    [65, 81],
    [68.5, 77],
    [62, 75.5],
    [56, 73.3],
    [54.5, 71.8],
    [58, 70.4],
    [60.5, 69],
    [58, 64],
    [45, 63],
    [36, 62.5],
    [31, 57],
    [24, 52.5],
    [15, 50],
    [8, 47.5],
    [2, 46],
    [-1, 43.2],
    [-4, 40],
    [-6, 36.4],
    [-5.95, 35.5],
    [-5, TROPIC_OF_CANCER],
  ],
);

/**
 * The Mediterranean Sea (IHO S-23 limits): west at the line Cape Spartel – Cape Trafalgar, north-east
 * at the Dardanelles (Kumkale – Cape Helles), south-east at Port Said. Not the Sea of Marmara or the
 * Black Sea.
 */
export const MEDITERRANEAN = region('mediterranean', 'Mediterranean Sea (Article 6(ii))', [
  [-5.93, 35.78],
  [-6.03, 36.18],
  [-5.4, 36.7],
  [-3, 38.5],
  [0, 42.6],
  [4, 44.5],
  [7, 45.5],
  [10, 46.5],
  [14, 46.3],
  [16, 46.2],
  [22, 42.5],
  [26.5, 41.5],
  [26.3, 40.6],
  [26.19, 40.02],
  [27, 39.9],
  [28.5, 38.5],
  [33, 37.5],
  [36.5, 36.8],
  [36.5, 35],
  [35.5, 33],
  [34.8, 31],
  [31.5, 30],
  [25, 30],
  [20, 29],
  [10, 30],
  [0, 33],
  [-5, 34.5],
  [-5.93, 35.5],
]);

/** The Dardanelles, the Sea of Marmara and the Bosporus: internal waters of Turkey. */
export const TURKISH_STRAITS = region(
  'turkish-straits',
  'Turkish Straits and Sea of Marmara (internal waters of Turkey)',
  [
    [26.17, 40.03],
    [26.3, 40.0],
    [26.75, 40.25],
    [28, 40.25],
    [29, 40.35],
    [29.95, 40.7],
    [29.3, 41.0],
    [29.2, 41.25],
    [29.0, 41.25],
    [28.9, 41.0],
    [28, 41.0],
    [27.2, 40.9],
    [26.65, 40.5],
    [26.2, 40.1],
  ],
);

/** West Berlin (approximate outline of the American, British and French sectors). */
export const WEST_BERLIN = region('west-berlin', 'West Berlin (occupation area until 3 October 1990)', [
  [13.09, 52.34],
  [13.47, 52.34],
  [13.47, 52.66],
  [13.09, 52.66],
]);

export interface AreaFeature {
  type: 'Feature';
  id: string;
  properties: { id: string; title: string; kind: 'sea-area' | 'frame' | 'line' };
  geometry:
    | { type: 'Polygon'; coordinates: Position[][] }
    | { type: 'MultiPolygon'; coordinates: Position[][][] }
    | { type: 'LineString'; coordinates: Position[] };
}

/**
 * The treaty-area layer for maps: sea areas, continental frames and the Tropic of Cancer, densified
 * to 1° so that they draw right on a sphere. `winding: 'rfc7946'` (outer rings counter-clockwise) or
 * `'d3'` (d3-geo's spherical convention: outer rings clockwise).
 */
export function treatyAreasGeoJson(winding: 'rfc7946' | 'd3' = 'rfc7946'): {
  type: 'FeatureCollection';
  features: AreaFeature[];
} {
  const ccw = winding === 'rfc7946';
  const poly = (r: Region, kind: 'sea-area' | 'frame'): AreaFeature => {
    const rings = r.rings.map((ring) => wind(densify(ring), ccw));
    return {
      type: 'Feature',
      id: r.id,
      properties: { id: r.id, title: r.title, kind },
      geometry:
        rings.length === 1
          ? { type: 'Polygon', coordinates: rings }
          : { type: 'MultiPolygon', coordinates: rings.map((x) => [x]) },
    };
  };
  const tropic: Position[] = [];
  for (let x = -180; x <= 180; x += 1) tropic.push([x, TROPIC_OF_CANCER]);
  return {
    type: 'FeatureCollection',
    features: [
      poly(MEDITERRANEAN, 'sea-area'),
      poly(NORTH_ATLANTIC, 'sea-area'),
      poly(TURKISH_STRAITS, 'sea-area'),
      poly(EUROPE, 'frame'),
      poly(NORTH_AMERICA, 'frame'),
      {
        type: 'Feature',
        id: 'tropic-of-cancer',
        properties: { id: 'tropic-of-cancer', title: 'Tropic of Cancer (23°26′ N)', kind: 'line' },
        geometry: { type: 'LineString', coordinates: tropic },
      },
    ],
  };
}
