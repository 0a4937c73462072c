import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { validation } from '../../platform/errors.ts';
import { audienceShapeProblem } from './audience.ts';

/**
 * Refuses (400 naming `field`) an audience that is empty, too long, or names a code that is no
 * organisation in the store. `undefined` is no audience. `allowEmpty` is for internal writes, which
 * pass [] for "no audience" after the caller's input has been checked here.
 */
export async function assertAudience(
  db: Kysely<Schema>,
  audience: readonly string[] | undefined,
  opts: { field?: string; allowEmpty?: boolean } = {},
): Promise<void> {
  const field = opts.field ?? 'audience';
  if (audience === undefined) return;
  if (audience.length === 0) {
    if (opts.allowEmpty) return;
    throw validation(
      field,
      `names no organisation; leave ${field} out for none (an empty list would widen the release)`,
    );
  }
  const shape = audienceShapeProblem(audience, field);
  if (shape) throw validation(shape.property, shape.message);
  const codes = [...new Set(audience)];
  const known = new Set(
    (await db.selectFrom('organisations').select('code').where('code', 'in', codes).execute()).map((r) => r.code),
  );
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0)
    throw validation(
      field,
      `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an organisation; see GET /api/v1/members`,
    );
}
