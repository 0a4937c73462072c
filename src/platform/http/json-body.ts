import type { FastifyInstance } from 'fastify';
import { validation } from '../errors.ts';
import { jsonValueProblem } from '../json-limits.ts';

/**
 * Nesting a REST body may have. The deepest real body (a proposal's treaty assessment) nests about five
 * levels; deeper ones only reach code that recurses (JSON.stringify, schema walks) and answered 500.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * application/json bodies parsed as Fastify does (prototype poisoning refused), then refused with a 400
 * naming the field when they nest deeper than `maxDepth` or hold a number that would not be stored as
 * sent (±Infinity from `1e999`, integers beyond 2^53 - 1). Every REST route takes its body from here.
 */
export function guardJsonBodies(
  app: Pick<FastifyInstance, 'getDefaultJsonParser' | 'removeContentTypeParser' | 'addContentTypeParser'>,
  maxDepth = MAX_BODY_DEPTH,
): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    void parse(req, body as string, (err, value) => {
      if (err) return done(err, undefined);
      const p = jsonValueProblem(value, maxDepth);
      if (p) return done(validation(p.path || 'body', p.message), undefined);
      done(null, value);
    });
  });
}
