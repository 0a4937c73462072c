import type { Actor } from '../../kernel/access/actor.ts';

/** Only the node's operators manage peers and read their state (docs/api.md, Federation). */
export function mayManagePeers(actor: Actor): boolean {
  return actor.kind === 'system' || actor.role === 'operator';
}
