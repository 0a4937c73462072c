import type { CompiledRead } from './read-pool.ts';

/** Puts a marker in place of one value of a query (and records the value). */
export type Mark = <T extends string | number>(value: T) => T;

const MAX_SHAPES = 512;
const MARK = '\u0001';

type Recipe = (values: readonly unknown[]) => unknown;

/**
 * Compiled SQL reused by query shape. Building and compiling a Kysely query costs more than running
 * a hot indexed read, and a query's SQL text depends only on its shape (which filters, how many
 * values in each list), not on its values. `template` rewrites a query with every value passed through
 * `mark`; the first query of a shape is compiled with markers in place of the values, which tells
 * where each value lands among the parameters (also inside derived ones, such as a LIKE pattern); later
 * queries of that shape only fill the parameters in. The first compilation of each shape is checked
 * against a normal one, so a template that drops or replaces a value fails loudly instead of running
 * the wrong query; a value the template leaves unmarked becomes part of the shape (correct, compiled
 * once per value).
 */
export class CompiledCache<Q> {
  private readonly shapes = new Map<string, { sql: string; recipe: Recipe[] }>();

  constructor(
    private readonly compile: (query: Q) => CompiledRead,
    private readonly template: (query: Q, mark: Mark) => Q,
  ) {}

  get(query: Q): CompiledRead {
    const values: unknown[] = [];
    const markers = this.template(query, ((v: string | number) => `${MARK}${values.push(v) - 1}${MARK}`) as Mark);
    const key = JSON.stringify(markers);
    let shape = this.shapes.get(key);
    if (!shape) {
      const marked = this.compile(markers);
      shape = { sql: marked.sql, recipe: marked.parameters.map(recipeOf) };
      const direct = this.compile(query);
      const filled = shape.recipe.map((r) => r(values));
      if (direct.sql !== shape.sql || JSON.stringify(direct.parameters) !== JSON.stringify(filled)) {
        throw new Error(
          `compiled query cache: the template of this query does not mark every value (${direct.sql.slice(0, 200)})`,
        );
      }
      if (this.shapes.size >= MAX_SHAPES) this.shapes.delete(this.shapes.keys().next().value as string);
      this.shapes.set(key, shape);
    }
    return { sql: shape.sql, parameters: shape.recipe.map((r) => r(values)) };
  }
}

/** How to compute one parameter from the values: a value itself, a string with values inside, or a constant. */
function recipeOf(param: unknown): Recipe {
  if (typeof param !== 'string' || !param.includes(MARK)) return () => param;
  const parts = param.split(MARK);
  // Markers come in pairs around a value's index: odd parts are indexes.
  if (parts.length === 3 && parts[0] === '' && parts[2] === '') {
    const i = Number(parts[1]);
    return (values) => values[i];
  }
  return (values) => parts.map((p, k) => (k % 2 === 1 ? String(values[Number(p)]) : p)).join('');
}
