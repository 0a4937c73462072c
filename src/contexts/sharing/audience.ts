/**
 * The one rule for an `audience` on every write (REST incidents, campaigns, responses, proposals, the
 * import CLI, and the knowledge store beneath them): when given, it names 1 to 64 organisations, each a
 * code of an organisation in the store (GET /api/v1/members). An empty list is refused: read as "no
 * audience" it would widen the release instead of narrowing it; an unknown code names nobody.
 * The store is consulted by assertAudience (audience.service.ts); this part is pure.
 */
import { isOrgCodeShape } from './organisations.ts';

export const MAX_AUDIENCE = 64;

export interface AudienceProblem {
  property: string;
  message: string;
}

/** What is wrong with an audience without looking at the store: its size and the codes' shape. */
export function audienceShapeProblem(audience: readonly string[], field = 'audience'): AudienceProblem | undefined {
  if (audience.length > MAX_AUDIENCE)
    return { property: field, message: `names more than ${MAX_AUDIENCE} organisations` };
  const bad = audience.find((a) => !isOrgCodeShape(a));
  return bad === undefined
    ? undefined
    : { property: field, message: `"${bad.slice(0, 10)}" is not a two-letter organisation code` };
}
