/**
 * The words of the North Atlantic Treaty and the summit texts the engine cites. Pure data.
 * Source: North Atlantic Treaty, Washington D.C., 4 April 1949; Article 6 as amended by Article 2
 * of the Protocol on the Accession of Greece and Turkey (London, 22 October 1951).
 */
export const ARTICLE_4 =
  'The Parties will consult together whenever, in the opinion of any of them, the territorial integrity, political independence or security of any of the Parties is threatened.';

export const ARTICLE_5 =
  'The Parties agree that an armed attack against one or more of them in Europe or North America shall be considered an attack against them all and consequently they agree that, if such an armed attack occurs, each of them, in exercise of the right of individual or collective self-defence recognised by Article 51 of the Charter of the United Nations, will assist the Party or Parties so attacked by taking forthwith, individually and in concert with the other Parties, such action as it deems necessary, including the use of armed force, to restore and maintain the security of the North Atlantic area.';

export const ARTICLE_6_I =
  '(i) on the territory of any of the Parties in Europe or North America, on the Algerian Departments of France, on the territory of Turkey or on the Islands under the jurisdiction of any of the Parties in the North Atlantic area north of the Tropic of Cancer;';
export const ARTICLE_6_II =
  '(ii) on the forces, vessels, or aircraft of any of the Parties, when in or over these territories or any other area in Europe in which occupation forces of any of the Parties were stationed on the date when the Treaty entered into force or the Mediterranean Sea or the North Atlantic area north of the Tropic of Cancer.';

export const WALES_2014_72 =
  'A decision as to when a cyber attack would lead to the invocation of Article 5 would be taken by the North Atlantic Council on a case-by-case basis.';
export const BRUSSELS_2021_CYBER =
  'Significant malicious cumulative cyber activities might, in certain circumstances, be considered as amounting to an armed attack.';
export const BRUSSELS_2021_SPACE = 'Attacks to, from, or within space could lead to the invocation of Article 5.';
export const WASHINGTON_2024_13 =
  'Hybrid operations against Allies could reach the level of an armed attack and could lead the North Atlantic Council to invoke Article 5.';
export const CONSENSUS =
  'Invoking Article 5 is a political decision taken by consensus in the North Atlantic Council (Secretary General, 27 June 2022); all NATO decisions are made by consensus.';

export const CITE = {
  art4: 'North Atlantic Treaty, Article 4',
  art5: 'North Atlantic Treaty, Article 5',
  art6i: 'North Atlantic Treaty, Article 6(i) (as amended, London Protocol 1951, Art. 2)',
  art6ii: 'North Atlantic Treaty, Article 6(ii) (as amended, London Protocol 1951, Art. 2)',
  art10: 'North Atlantic Treaty, Article 10; accession protocols',
  wales72: 'Wales Summit Declaration (2014), para 72',
  brussels2021: 'Brussels Summit Communiqué (2021), paras 32-33',
  washington13: 'Washington Summit Declaration (2024), para 13',
  consensus: 'North Atlantic Council practice: decisions by consensus',
} as const;
