import { describe, expect, it } from 'vitest';
import { CompiledCache, type Mark } from './compiled-cache.ts';

interface Q {
  org: string;
  types: string[];
  after?: number;
}

let compiles = 0;
function compile(q: Q) {
  compiles++;
  const where = [
    `author = ? or audience like ?`,
    ...(q.types.length ? [`type in (${q.types.map(() => '?').join(', ')})`] : []),
    ...(q.after !== undefined ? ['added > ?'] : []),
  ];
  return {
    sql: `select * from t where ${where.join(' and ')} and latest = ?`,
    parameters: [q.org, `%,${q.org},%`, ...q.types, ...(q.after !== undefined ? [q.after] : []), 1],
  };
}
const mark = (q: Q, m: Mark): Q => ({
  org: m(q.org),
  types: q.types.map(m),
  ...(q.after !== undefined ? { after: m(q.after) } : {}),
});

describe('CompiledCache', () => {
  it('compiles each shape once and fills values in, also inside derived parameters', () => {
    const cache = new CompiledCache(compile, mark);
    compiles = 0;
    const a = cache.get({ org: 'PL', types: ['malware'], after: 5 });
    expect(a).toEqual(compile({ org: 'PL', types: ['malware'], after: 5 }));
    const before = compiles;
    for (const [org, type, after] of [
      ['LT', 'tool', 7],
      ['US', 'indicator', 0],
    ] as const) {
      expect(cache.get({ org, types: [type], after })).toEqual(compile({ org, types: [type], after }));
    }
    expect(compiles - before).toBe(2); // only the comparisons above, no compilation inside the cache
    // Another shape (two types, no cursor) compiles anew.
    expect(cache.get({ org: 'EE', types: ['a', 'b'] })).toEqual(compile({ org: 'EE', types: ['a', 'b'] }));
  });

  it('fails loudly when the template drops a value; an unmarked one only becomes part of the shape', () => {
    const dropping = new CompiledCache(compile, (q: Q, m: Mark): Q => ({ org: m(q.org), types: q.types.map(m) }));
    expect(() => dropping.get({ org: 'PL', types: ['malware'], after: 3 })).toThrow(/does not mark every value/);
    const unmarked = new CompiledCache(compile, (q: Q, m: Mark): Q => ({ org: m(q.org), types: q.types }));
    for (const type of ['malware', 'tool'])
      expect(unmarked.get({ org: 'PL', types: [type] })).toEqual(compile({ org: 'PL', types: [type] }));
  });
});
