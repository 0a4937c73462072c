/**
 * STIX identities that stand for someone: the server itself and each organisation. Pure.
 * An object names its creator in `created_by_ref`; a writer may name any identity except one that
 * stands for someone else, since readers (and TAXII clients such as MISP and OpenCTI) take it as
 * the object's source.
 */
import { nameUuid } from '../stix/stix.ts';
import { ORGANISATIONS } from './organisations.ts';
import type { Problem } from '../stix/validate.ts';

/** Bulwark's own identity (`identity_class: system`): creator of the objects the server publishes. */
export const BULWARK_IDENTITY_ID = 'identity--3c1e6f0a-52c1-4b7e-9d5e-7a4f2c9b1e01';

/** The author recorded for the server's own objects: no organisation. */
export const NO_AUTHOR = '--';

/** The fixed identity of an organisation (the same id on every node): a name-based UUID of its code. */
export function organisationIdentityId(code: string): string {
  return `identity--${nameUuid(`bulwark organisation|${code}`)}`;
}

/** Who each reserved identity stands for: the server (NO_AUTHOR) or an organisation code. */
const RESERVED = new Map<string, string>([
  [BULWARK_IDENTITY_ID, NO_AUTHOR],
  ...ORGANISATIONS.map((o) => [organisationIdentityId(o.code), o.code] as [string, string]),
]);

function holder(who: string): string {
  return who === NO_AUTHOR ? "the server's own identity (Bulwark)" : `the identity of organisation ${who}`;
}

/**
 * Whether an object written for `author` claims someone else: a `created_by_ref` naming the server's
 * identity or another organisation's, or an `identity` object that is one of them. The server's own
 * writes (author NO_AUTHOR) may name the server.
 */
export function impersonation(obj: Record<string, unknown>, author: string): Problem | undefined {
  const creator = typeof obj.created_by_ref === 'string' ? RESERVED.get(obj.created_by_ref) : undefined;
  if (creator !== undefined && creator !== author)
    return {
      property: 'created_by_ref',
      message: `names ${holder(creator)}; an object written for ${author} may not claim it`,
    };
  const self = obj.type === 'identity' && typeof obj.id === 'string' ? RESERVED.get(obj.id) : undefined;
  if (self !== undefined && self !== author)
    return { property: 'id', message: `is ${holder(self)}; only it may write that object` };
  return undefined;
}
