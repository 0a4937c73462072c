/**
 * Who may do what with register entries (api.md, Wave 2): any signed-in organisation writes entries
 * as itself; an entry is changed only by its author organisation; reading follows the releasability
 * table (kernel/access). Pure.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { canRead, type Releasable } from '../../kernel/access/releasability.ts';
import { readerOf } from '../../kernel/access/actor.ts';

export function isAuthor(actor: Actor, obj: { author: string }): boolean {
  return actor.kind === 'user' && actor.org === obj.author;
}

export function canReadEntry(actor: Actor, obj: Releasable): boolean {
  return canRead(readerOf(actor), obj);
}
