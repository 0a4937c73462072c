/**
 * Plain-language answer to "who will see this report?", computed with the very rule the server
 * enforces (canRead of the sharing context), so the explanation cannot drift from the policy.
 */
import { canRead } from '../../../src/kernel/access/releasability.ts';
import type { Tlp } from '../../../src/kernel/access/tlp.ts';
import type { Member } from '../api/types.ts';

export interface ReleasabilityExplanation {
  /** One sentence for the form. */
  summary: string;
  /** Extra notes (e.g. an audience that has no effect). */
  notes: string[];
  /** Organisation codes that will read it, the author included, sorted. */
  readers: string[];
  /** True when the object also appears in the public, anonymous TAXII collection. */
  publicCollection: boolean;
}

export const TLP_MEANING: Record<Tlp, string> = {
  clear: 'TLP:CLEAR: no limit on disclosure',
  green: 'TLP:GREEN: the community, not the public',
  amber: 'TLP:AMBER: members only, on a need-to-know basis',
  'amber+strict': 'TLP:AMBER+STRICT: your organisation only, unless you name an audience',
  red: 'TLP:RED: named recipients only',
};

function list(codes: readonly string[]): string {
  return codes.length <= 8 ? codes.join(', ') : `${codes.slice(0, 8).join(', ')} and ${codes.length - 8} more`;
}

export function explainReleasability(input: {
  tlp: Tlp;
  audience: readonly string[];
  author: string;
  orgs: readonly Member[];
}): ReleasabilityExplanation {
  const audience = [...new Set(input.audience.filter((c) => c !== ''))].sort();
  const obj = { author: input.author, tlp: input.tlp, audience };
  const readers = input.orgs
    .filter((o) => canRead({ kind: 'org', org: o.code, orgKind: o.kind }, obj))
    .map((o) => o.code);
  if (!readers.includes(input.author)) readers.push(input.author);
  readers.sort();
  const publicCollection = canRead({ kind: 'anonymous' }, obj);
  const members = input.orgs.filter((o) => o.kind === 'member').length;
  const partners = input.orgs.filter((o) => o.kind === 'partner');
  const notes: string[] = [];
  let summary: string;
  if (input.tlp === 'clear') {
    summary = 'Everyone: every member and partner organisation, and the public through the open TAXII collection.';
    if (audience.length > 0)
      notes.push('An audience has no effect on TLP:CLEAR; choose GREEN or stricter to limit it.');
  } else if (audience.length > 0) {
    const others = audience.filter((c) => c !== input.author);
    summary = `Only ${others.length ? list(others) : 'nobody else'} and your organisation (${input.author}).`;
    const partnerNames = partners.filter((p) => audience.includes(p.code)).map((p) => p.code);
    if (partnerNames.length && input.tlp !== 'green')
      notes.push(`Named partners (${partnerNames.join(', ')}) read it because they are in the audience.`);
  } else {
    switch (input.tlp) {
      case 'green':
        summary = `Every organisation: all ${members} members and ${partners.length} partners (${list(partners.map((p) => p.code))}), not the public.`;
        break;
      case 'amber':
        summary = `Every member state (${members}); partners (${list(partners.map((p) => p.code))}) do not see it.`;
        break;
      case 'amber+strict':
      case 'red':
        summary = `Only your organisation (${input.author}). Name an audience to share it.`;
        break;
    }
  }
  return { summary, notes, readers, publicCollection };
}
