import { describe, expect, it } from 'vitest';
import { excerpt, fts5Query, MAX_TERMS, termsOf, tsQuery } from './search.ts';

describe('search queries', () => {
  it('splits on whitespace within bounds', () => {
    expect(termsOf('  cable   cuts\tbaltic ')).toEqual(['cable', 'cuts', 'baltic']);
    expect(termsOf('a '.repeat(50))).toHaveLength(MAX_TERMS);
    expect(termsOf('x'.repeat(1000))[0]).toHaveLength(64);
  });
  it('quotes every term, so that no operator comes from the input', () => {
    expect(fts5Query(['198.51.100.9'])).toBe('"198.51.100.9"*');
    expect(fts5Query(['a"b', 'OR', 'NEAR('])).toBe('"a""b" "OR" "NEAR("*');
    expect(tsQuery(["o'neil", 'a\\b', 'Cable'])).toBe("'o''neil':* & 'a\\\\b':* & 'cable':*");
  });
  it('cuts an excerpt around the first term found', () => {
    const text = `${'x '.repeat(200)}needle ${'y '.repeat(200)}`;
    const e = excerpt(text, ['needle']);
    expect(e).toContain('needle');
    expect(e.length).toBeLessThanOrEqual(162);
    expect(excerpt('short', ['x'])).toBe('short');
  });
});
