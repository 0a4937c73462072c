import { describe, expect, it } from 'vitest';
import { AREA_CLAUSES } from '../../../src/contexts/treaty/geography.ts';
import { article4Label, clauseLabel, ruleLabel } from './wording.ts';

describe('treaty wording', () => {
  it('words every Article 6 clause and rule without identifiers', () => {
    for (const c of AREA_CLAUSES) expect(clauseLabel(c)).not.toMatch(/-/);
    for (const r of ['formal-request', 'membership', 'article-4', 'territory', 'council-decision', 'consensus'])
      expect(ruleLabel(r)).not.toMatch(/^[a-z0-9-]+$/);
    expect(ruleLabel('article-6-iii-somewhere')).toBe('Article 6 (iii) somewhere');
    expect(article4Label('not-available')).toBe('Article 4: not available');
  });
});
