import type { Nature } from '../api/types.ts';

/** The nature an incident of this category is assessed as under the treaty: cyber, or else hybrid. */
export function natureOf(category: string): Nature {
  return category === 'cyber' ? 'cyber' : 'hybrid';
}
