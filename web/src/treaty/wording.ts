/**
 * Plain words for the treaty assessment's identifiers (rules, Article 6 clauses, verdicts), so that no
 * heading shows an internal id such as `article-6-i-europe` or `council-decision`. Pure.
 */

const RULES: Record<string, string> = {
  'formal-request': 'A request for consultation',
  membership: 'Is the party a member?',
  'article-4': 'Article 4: consultation',
  territory: 'Where it happened',
  'article-6-i': 'Article 6 (i): territory',
  'article-6-ii': 'Article 6 (ii): forces, vessels and aircraft',
  'article-5': 'Article 5: armed attack',
  consensus: 'Decided by consensus',
  'council-decision': 'Left to the North Atlantic Council',
};

const CLAUSES: Record<string, string> = {
  'article-6-i-europe': 'Article 6 (i): territory in Europe',
  'article-6-i-north-america': 'Article 6 (i): territory in North America',
  'article-6-i-turkey': 'Article 6 (i): territory of Türkiye',
  'article-6-i-islands': 'Article 6 (i): islands in the North Atlantic north of the Tropic of Cancer',
  'article-6-i-algerian-departments': 'Article 6 (i): the former Algerian departments of France (until 1962)',
  'article-6-ii-occupation-areas': 'Article 6 (ii): forces in the occupation areas of Europe',
  'article-6-ii-mediterranean': 'Article 6 (ii): forces, vessels or aircraft in or over the Mediterranean',
  'article-6-ii-north-atlantic': 'Article 6 (ii): forces, vessels or aircraft in or over the North Atlantic',
};

/** An identifier in words when nothing better is known: "article-6-ii-x" → "Article 6 (ii) x". */
function words(id: string): string {
  const t = id
    .replace(/^article-(\d+)-(i{1,3})-?/, 'Article $1 ($2) ')
    .replace(/^article-(\d+)-?/, 'Article $1 ')
    .replace(/-/g, ' ')
    .trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function ruleLabel(rule: string): string {
  return RULES[rule] ?? CLAUSES[rule] ?? words(rule);
}

export function clauseLabel(clause: string): string {
  return CLAUSES[clause] ?? words(clause);
}

/** Article 4 verdicts spelt as Article 5's are: words, not identifiers. */
export function article4Label(v: string): string {
  return v === 'available' ? 'Article 4: available' : v === 'not-available' ? 'Article 4: not available' : words(v);
}
