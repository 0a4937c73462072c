/**
 * Observable normalisation: one canonical form per indicator so that the same thing reported by
 * two members in different spellings is one value. Linear string scans only (no regex on input).
 */
import { domainToASCII } from 'node:url';
import { domainNameProblem } from '../stix/domain-name.ts';

/** STIX cyber-observable types accepted in reports, plus `narrative` (a free-text claim). */
export const OBSERVABLE_TYPES = [
  'domain-name',
  'url',
  'ipv4-addr',
  'ipv6-addr',
  'email-addr',
  'file',
  'user-account',
  'mac-addr',
  'autonomous-system',
  'narrative',
] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

export const MAX_OBSERVABLE_LENGTH = 2048;

export type Normalised = { ok: true; value: string } | { ok: false; message: string };

/** Defang markers analysts use so that indicators are not clickable, in their plain form. */
const REFANG: ReadonlyArray<readonly [string, string]> = [
  ['[.]', '.'],
  ['(.)', '.'],
  ['{.}', '.'],
  ['[dot]', '.'],
  ['(dot)', '.'],
  ['{dot}', '.'],
  ['[:]', ':'],
  ['[://]', '://'],
  ['[at]', '@'],
  ['(at)', '@'],
  ['[@]', '@'],
  ['[/]', '/'],
];

/** Undoes common defanging: hxxp(s) schemes and bracketed dots, colons and at-signs. */
export function refang(input: string): string {
  let s = input.trim();
  const lower = s.toLowerCase();
  for (const [from, to] of REFANG) if (lower.includes(from)) s = replaceAllInsensitive(s, from, to);
  const l = s.toLowerCase();
  if (l.startsWith('hxxps')) s = `https${s.slice(5)}`;
  else if (l.startsWith('hxxp')) s = `http${s.slice(4)}`;
  else if (l.startsWith('fxp')) s = `ftp${s.slice(3)}`;
  return s;
}

function replaceAllInsensitive(s: string, from: string, to: string): string {
  let out = '';
  let i = 0;
  const lower = s.toLowerCase();
  for (;;) {
    const j = lower.indexOf(from, i);
    if (j < 0) return out + s.slice(i);
    out += s.slice(i, j) + to;
    i = j + from.length;
  }
}

/** Characters that end a host in a URL: domainToASCII would silently cut the name there ("a.b\\x" gives "a.b"). */
const HOST_DELIMITERS = new Set(['/', '\\', '?', '#', '@', ':']);

/** A name without its one trailing dot (the root), when it has one. */
function withoutRoot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

export function normaliseDomain(raw: string): Normalised {
  const s = withoutRoot(refang(raw).toLowerCase());
  if (s === '' || s.length > 253) return { ok: false, message: 'must be a domain name of 1 to 253 characters' };
  for (const c of s)
    if (HOST_DELIMITERS.has(c))
      return { ok: false, message: `"${s.slice(0, 60)}" is not a domain name: it contains "${c}"` };
  const ascii = domainToASCII(s);
  if (ascii === '' || !ascii.includes('.'))
    return { ok: false, message: `"${s.slice(0, 60)}" is not a valid domain name` };
  // Labels of 1 to 63 characters ("a..b", ".a.b" and "a.b.." have an empty one), 253 in all, in the ASCII form.
  const bad = ascii.endsWith('.')
    ? `"${s.slice(0, 60)}" has an empty label (two dots in a row)`
    : domainNameProblem(ascii);
  return bad ? { ok: false, message: bad } : { ok: true, value: ascii };
}

export function normaliseIpv4(raw: string): Normalised {
  const s = refang(raw);
  const parts = s.split('.');
  if (parts.length !== 4) return { ok: false, message: 'must be a dotted IPv4 address such as 192.0.2.10' };
  const out: number[] = [];
  for (const p of parts) {
    if (p.length < 1 || p.length > 3) return { ok: false, message: `"${s.slice(0, 40)}" is not an IPv4 address` };
    // "010" is 8 to URL parsers and inet_aton (octal) but 10 to a reader: ambiguous, so refused.
    if (p.length > 1 && p.charCodeAt(0) === 48)
      return {
        ok: false,
        message: `"${s.slice(0, 40)}" has an octet with a leading zero (octal to some parsers); write it without`,
      };
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return { ok: false, message: `"${s.slice(0, 40)}" is not an IPv4 address` };
    }
    const n = Number(p);
    if (n > 255) return { ok: false, message: `"${s.slice(0, 40)}" has an octet above 255` };
    out.push(n);
  }
  return { ok: true, value: out.join('.') };
}

export function normaliseIpv6(raw: string): Normalised {
  const s = refang(raw).toLowerCase();
  if (s.length > 45 || !s.includes(':')) return { ok: false, message: 'must be an IPv6 address' };
  try {
    const host = new URL(`http://[${s}]/`).hostname;
    return { ok: true, value: host.slice(1, -1) };
  } catch {
    return { ok: false, message: `"${s.slice(0, 45)}" is not an IPv6 address` };
  }
}

/** URL canonical form: scheme and host lower-case (host in punycode), default port and fragment dropped. */
export function normaliseUrl(raw: string): Normalised {
  let s = refang(raw);
  if (!s.includes('://')) s = `http://${s}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { ok: false, message: `"${s.slice(0, 60)}" is not a URL` };
  }
  const host = withoutRoot(u.hostname);
  if (host === '') return { ok: false, message: 'a URL needs a host' };
  const bad = host.startsWith('[')
    ? undefined
    : host.endsWith('.')
      ? `the host "${host.slice(0, 60)}" has an empty label`
      : domainNameProblem(host);
  if (bad) return { ok: false, message: `the host ${bad}` };
  u.hash = '';
  u.hostname = host;
  return { ok: true, value: u.href };
}

export function normaliseEmail(raw: string): Normalised {
  const s = refang(raw).toLowerCase();
  const at = s.lastIndexOf('@');
  if (at < 1 || at === s.length - 1 || s.length > 254)
    return { ok: false, message: 'must be an e-mail address such as name@example.org' };
  if (at > 64) return { ok: false, message: 'the part before "@" is longer than 64 characters' };
  for (let i = 0; i < at; i++)
    if (s.charCodeAt(i) <= 32) return { ok: false, message: 'the part before "@" holds a space or control character' };
  const d = normaliseDomain(s.slice(at + 1));
  if (!d.ok) return d;
  return { ok: true, value: `${s.slice(0, at)}@${d.value}` };
}

const HASH_BY_LENGTH: Record<number, string> = { 32: 'md5', 40: 'sha-1', 64: 'sha-256', 128: 'sha-512' };

/** A file by its hash: "sha-256:abc…" or a bare hex digest (algorithm from its length). */
export function normaliseFileHash(raw: string): Normalised {
  const s = raw.trim().toLowerCase();
  const colon = s.indexOf(':');
  const hex = colon >= 0 ? s.slice(colon + 1).trim() : s;
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102)))
      return { ok: false, message: 'a file is reported by its hash: hex digits, optionally prefixed "sha-256:"' };
  }
  const algo = HASH_BY_LENGTH[hex.length];
  if (!algo) return { ok: false, message: 'a file hash must be an MD5, SHA-1, SHA-256 or SHA-512 hex digest' };
  return { ok: true, value: `${algo}:${hex}` };
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\u00a0';
}

function collapseSpaces(s: string): string {
  let out = '';
  let space = false;
  for (const ch of s) {
    if (isSpace(ch)) space = out !== '';
    else {
      if (space) out += ' ';
      out += ch;
      space = false;
    }
  }
  return out;
}

/** Normalises an observable of a given type; narratives keep their text (fingerprinted separately). */
export function normaliseObservable(type: ObservableType, raw: string): Normalised {
  if (raw.length > MAX_OBSERVABLE_LENGTH)
    return { ok: false, message: `longer than ${MAX_OBSERVABLE_LENGTH} characters` };
  switch (type) {
    case 'domain-name':
      return normaliseDomain(raw);
    case 'ipv4-addr':
      return normaliseIpv4(raw);
    case 'ipv6-addr':
      return normaliseIpv6(raw);
    case 'url':
      return normaliseUrl(raw);
    case 'email-addr':
      return normaliseEmail(raw);
    case 'file':
      return normaliseFileHash(raw);
    case 'user-account': {
      // Without the leading "@" of a handle, and any spaces around it ("@ @name" and "name" are one account).
      const s = raw.normalize('NFKC').toLowerCase();
      let start = 0;
      while (start < s.length && (s[start] === '@' || isSpace(s[start]!))) start++;
      const v = collapseSpaces(s.slice(start));
      return v === '' ? { ok: false, message: 'must not be empty' } : { ok: true, value: v };
    }
    case 'mac-addr': {
      const hex = [...raw.toLowerCase()].filter((c) => c !== ':' && c !== '-' && c !== '.').join('');
      if (hex.length !== 12 || [...hex].some((c) => !'0123456789abcdef'.includes(c)))
        return { ok: false, message: 'must be a MAC address' };
      return { ok: true, value: hex.match(/../g)!.join(':') };
    }
    case 'autonomous-system': {
      const s = raw.trim().toLowerCase();
      const n = Number(s.startsWith('as') ? s.slice(2) : s);
      if (!Number.isInteger(n) || n < 0 || n > 4294967295)
        return { ok: false, message: 'must be an AS number such as AS64500' };
      return { ok: true, value: String(n) };
    }
    case 'narrative': {
      const v = collapseSpaces(raw.normalize('NFKC'));
      return v === '' ? { ok: false, message: 'must not be empty' } : { ok: true, value: v };
    }
  }
}

/** Normalised name of a threat actor or intrusion set, for "same actor" matching. */
export function normaliseName(raw: string): string {
  const s = raw.normalize('NFKC').toLowerCase();
  let out = '';
  for (const ch of s) out += isWordChar(ch) ? ch : ' ';
  return collapseSpaces(out);
}

const WORD = /^[\p{L}\p{N}]$/u;
/** One code point: letter or digit (the regex runs on a single character only). */
export function isWordChar(ch: string): boolean {
  return WORD.test(ch);
}
