/**
 * Which state has jurisdiction over each Natural Earth admin-0 unit (world-atlas countries-10m
 * names), and how the treaty places it. Dependent territories map to the state responsible for
 * them (Greenland and the Faroe Islands → DK, Bermuda → GB, Puerto Rico → US …). Svalbard and Jan
 * Mayen, the Azores and Madeira, the Canary Islands, Ceuta and Melilla, French Guiana and the other
 * French overseas departments are parts of their state's own unit in Natural Earth. Pure data.
 */
export type Continent = 'europe' | 'north-america' | 'turkey' | 'by-frame';

export interface Jurisdiction {
  /** ISO 3166 alpha-2 of the state with jurisdiction (parties, partners and their territories), else null. */
  state: string | null;
  /** How the unit's parts are placed for Article 6(i); 'by-frame' decides part by part (docs/treaty.md). */
  continent: Continent;
  /** Until this date (exclusive) the unit was under another party, with its own Article 6(i) clause. */
  formerly?: { state: string; until: string; clause: 'article-6-i-algerian-departments' };
  /** Forces of the Parties were stationed here as occupation forces on 24 August 1949, until this date (exclusive). */
  occupationUntil?: string;
}

/** Parties wholly in Europe: every part of their territory, islands included, is in Europe. */
const EUROPEAN = [
  'BE',
  'DK',
  'IS',
  'IT',
  'LU',
  'GR',
  'DE',
  'CZ',
  'HU',
  'PL',
  'BG',
  'EE',
  'LV',
  'LT',
  'RO',
  'SK',
  'SI',
  'AL',
  'HR',
  'ME',
  'MK',
  'FI',
  'SE',
];

const UNITS: Record<string, string> = {
  Belgium: 'BE',
  Canada: 'CA',
  Denmark: 'DK',
  Greenland: 'DK',
  'Faeroe Is.': 'DK',
  France: 'FR',
  'St. Pierre and Miquelon': 'FR',
  'St-Martin': 'FR',
  'St-Barthélemy': 'FR',
  'Fr. Polynesia': 'FR',
  'New Caledonia': 'FR',
  'Wallis and Futuna Is.': 'FR',
  'Fr. S. Antarctic Lands': 'FR',
  'Clipperton I.': 'FR',
  Iceland: 'IS',
  Italy: 'IT',
  Luxembourg: 'LU',
  Netherlands: 'NL',
  Aruba: 'NL',
  Curaçao: 'NL',
  'Sint Maarten': 'NL',
  Norway: 'NO',
  Portugal: 'PT',
  'United Kingdom': 'GB',
  Jersey: 'GB',
  Guernsey: 'GB',
  'Isle of Man': 'GB',
  Gibraltar: 'GB',
  Bermuda: 'GB',
  'Turks and Caicos Is.': 'GB',
  'Cayman Is.': 'GB',
  'British Virgin Is.': 'GB',
  Anguilla: 'GB',
  Montserrat: 'GB',
  'Falkland Is.': 'GB',
  'S. Geo. and the Is.': 'GB',
  'Saint Helena': 'GB',
  'Br. Indian Ocean Ter.': 'GB',
  'Pitcairn Is.': 'GB',
  Akrotiri: 'GB',
  Dhekelia: 'GB',
  'United States of America': 'US',
  'Puerto Rico': 'US',
  'U.S. Virgin Is.': 'US',
  Guam: 'US',
  'N. Mariana Is.': 'US',
  'American Samoa': 'US',
  'U.S. Minor Outlying Is.': 'US',
  'USNB Guantanamo Bay': 'US',
  Greece: 'GR',
  Turkey: 'TR',
  Germany: 'DE',
  Spain: 'ES',
  Czechia: 'CZ',
  Hungary: 'HU',
  Poland: 'PL',
  Bulgaria: 'BG',
  Estonia: 'EE',
  Latvia: 'LV',
  Lithuania: 'LT',
  Romania: 'RO',
  Slovakia: 'SK',
  Slovenia: 'SI',
  Albania: 'AL',
  Croatia: 'HR',
  Montenegro: 'ME',
  Macedonia: 'MK',
  Finland: 'FI',
  Åland: 'FI',
  Sweden: 'SE',
  Ukraine: 'UA',
  Georgia: 'GE',
  Moldova: 'MD',
  Austria: 'AT',
  Ireland: 'IE',
  Switzerland: 'CH',
  Russia: 'RU',
  Belarus: 'BY',
  Serbia: 'RS',
  Kosovo: 'XK',
  'Bosnia and Herz.': 'BA',
  Cyprus: 'CY',
  Malta: 'MT',
  Morocco: 'MA',
  Algeria: 'DZ',
  Tunisia: 'TN',
  Libya: 'LY',
  Egypt: 'EG',
  Syria: 'SY',
  Iraq: 'IQ',
  Iran: 'IR',
  Mexico: 'MX',
  Cuba: 'CU',
  Bahamas: 'BS',
};

/** Units whose placement is fixed regardless of the frames. */
const CONTINENT_OF_UNIT: Record<string, Continent> = {
  Greenland: 'north-america',
  'St. Pierre and Miquelon': 'north-america',
  'Faeroe Is.': 'europe',
  Jersey: 'europe',
  Guernsey: 'europe',
  'Isle of Man': 'europe',
  Gibraltar: 'europe',
};

export function jurisdictionOf(unit: string): Jurisdiction {
  const state = UNITS[unit] ?? null;
  const continent: Continent =
    CONTINENT_OF_UNIT[unit] ??
    (state === 'TR'
      ? 'turkey'
      : state === 'CA'
        ? 'north-america'
        : state && EUROPEAN.includes(state)
          ? 'europe'
          : 'by-frame');
  const j: Jurisdiction = { state, continent };
  if (unit === 'Algeria') j.formerly = { state: 'FR', until: '1962-07-03', clause: 'article-6-i-algerian-departments' };
  if (unit === 'Germany') j.occupationUntil = '1955-05-05';
  if (unit === 'Austria') j.occupationUntil = '1955-10-25';
  return j;
}

/** The state with jurisdiction over a unit on a date (Algeria: France until independence, 3 July 1962). */
export function stateOn(j: Jurisdiction, date: string): string | null {
  return j.formerly && date < j.formerly.until ? j.formerly.state : j.state;
}
