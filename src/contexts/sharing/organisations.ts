/** The alliance's member organisations and partners, seeded on first start. Pure data. */
import type { OrgKind } from '../../kernel/access/organisation.ts';

export type { OrgKind };

export interface Organisation {
  code: string;
  name: string;
  kind: OrgKind;
  /** Date of accession (members) as YYYY-MM-DD; null for partners. */
  joined: string | null;
}

const m = (code: string, name: string, joined: string): Organisation => ({ code, name, kind: 'member', joined });

/** Accession dates: North Atlantic Treaty in force 1949-08-24 and the accession protocols since. */
export const MEMBERS: readonly Organisation[] = [
  m('BE', 'Belgium', '1949-08-24'),
  m('CA', 'Canada', '1949-08-24'),
  m('DK', 'Denmark', '1949-08-24'),
  m('FR', 'France', '1949-08-24'),
  m('IS', 'Iceland', '1949-08-24'),
  m('IT', 'Italy', '1949-08-24'),
  m('LU', 'Luxembourg', '1949-08-24'),
  m('NL', 'Netherlands', '1949-08-24'),
  m('NO', 'Norway', '1949-08-24'),
  m('PT', 'Portugal', '1949-08-24'),
  m('GB', 'United Kingdom', '1949-08-24'),
  m('US', 'United States', '1949-08-24'),
  m('GR', 'Greece', '1952-02-18'),
  m('TR', 'Türkiye', '1952-02-18'),
  m('DE', 'Germany', '1955-05-06'),
  m('ES', 'Spain', '1982-05-30'),
  m('CZ', 'Czechia', '1999-03-12'),
  m('HU', 'Hungary', '1999-03-12'),
  m('PL', 'Poland', '1999-03-12'),
  m('BG', 'Bulgaria', '2004-03-29'),
  m('EE', 'Estonia', '2004-03-29'),
  m('LV', 'Latvia', '2004-03-29'),
  m('LT', 'Lithuania', '2004-03-29'),
  m('RO', 'Romania', '2004-03-29'),
  m('SK', 'Slovakia', '2004-03-29'),
  m('SI', 'Slovenia', '2004-03-29'),
  m('AL', 'Albania', '2009-04-01'),
  m('HR', 'Croatia', '2009-04-01'),
  m('ME', 'Montenegro', '2017-06-05'),
  m('MK', 'North Macedonia', '2020-03-27'),
  m('FI', 'Finland', '2023-04-04'),
  m('SE', 'Sweden', '2024-03-07'),
];

export const PARTNERS: readonly Organisation[] = [
  { code: 'UA', name: 'Ukraine', kind: 'partner', joined: null },
  { code: 'GE', name: 'Georgia', kind: 'partner', joined: null },
  { code: 'MD', name: 'Moldova', kind: 'partner', joined: null },
  { code: 'AT', name: 'Austria', kind: 'partner', joined: null },
  { code: 'IE', name: 'Ireland', kind: 'partner', joined: null },
  { code: 'CH', name: 'Switzerland', kind: 'partner', joined: null },
];

export const ORGANISATIONS: readonly Organisation[] = [...MEMBERS, ...PARTNERS];

/** Codes are two upper-case ASCII letters; checked without a regex. */
export function isOrgCodeShape(code: string): boolean {
  if (code.length !== 2) return false;
  for (let i = 0; i < 2; i++) {
    const c = code.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}
