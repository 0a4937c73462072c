import { z } from 'zod';

/**
 * Zod parts for settings read from the environment (or a flag standing in for it). A variable that is
 * unset or empty takes its default; anything else must parse, or start-up stops naming it.
 */
const unset = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';

/** What is wrong with a value, as its parser reports it. */
class Problem {
  constructor(readonly message: string) {}
}

/** A variable that `parse` turns into a value or a Problem; unset or empty, it is `dflt`. */
function setting<T, D>(dflt: D, parse: (v: string) => T | Problem) {
  return z
    .string()
    .optional()
    .transform((v, ctx): T | D => {
      if (unset(v)) return dflt;
      const r = parse(v);
      if (r instanceof Problem) {
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      }
      return r;
    });
}

const commaList = (v: string): string[] =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function url(v: string, notUrl: string): URL | Problem {
  try {
    return new URL(v.trim());
  } catch {
    return new Problem(notUrl);
  }
}

export function wholeNumber(dflt: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  return setting(dflt, (v) => {
    const t = v.trim();
    const n = Number(t);
    return /^\d{1,16}$/.test(t) && n >= min && n <= max
      ? n
      : new Problem(`"${v.slice(0, 40)}" is not a whole number from ${min} to ${max}`);
  });
}

export function text(dflt: string) {
  return setting(dflt, (v) => v.trim());
}

export function optionalUrl(protocols: readonly string[]) {
  return setting(undefined, (v) => {
    const u = url(v, 'is not a URL');
    if (u instanceof Problem) return u;
    if (!protocols.includes(u.protocol))
      return new Problem(`must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    return v.trim();
  });
}

/** A secret given by the operator: at least 32 characters, no spaces or commas (lists are comma-separated). */
export function secret() {
  return setting(undefined, (v) =>
    v.length < 32 || /[\s,]/.test(v)
      ? new Problem('needs at least 32 characters and no spaces or commas (e.g. openssl rand -hex 32)')
      : v,
  );
}

export function secretList() {
  return setting([] as string[], (v) => {
    const list = commaList(v);
    return list.some((k) => k.length < 32)
      ? new Problem('each key needs at least 32 characters (comma-separated list)')
      : list;
  });
}

export function oneOf<T extends string>(values: readonly T[], dflt: T) {
  return setting(dflt, (v) => {
    const t = v.trim() as T;
    return values.includes(t) ? t : new Problem(`must be one of ${values.join(', ')}`);
  });
}

const PROXY = /^(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]{2,45}(\/\d{1,3})?)$/;

export function proxyList() {
  return setting([] as string[], (v) => {
    const list = commaList(v);
    const bad = list.find((x) => !PROXY.test(x));
    return bad === undefined
      ? list
      : new Problem(`"${bad.slice(0, 60)}" is not an address, a CIDR or loopback/linklocal/uniquelocal`);
  });
}

/** The address clients reach the server at: http(s), no credentials, query or fragment; no trailing slash. */
export function publicUrl() {
  return setting(undefined, (v) => {
    const u = url(v, `${v.slice(0, 100)} is not a URL (e.g. https://bulwark.example.org)`);
    if (u instanceof Problem) return u;
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return new Problem(`must be an http or https URL, not ${u.protocol}`);
    if (u.username || u.password || u.search || u.hash)
      return new Problem('must not carry credentials, a query or a fragment');
    let out = `${u.origin}${u.pathname}`;
    while (out.endsWith('/')) out = out.slice(0, -1);
    return out;
  });
}

/** The first issue of each variable, as "NAME: problem" lines. */
export function describeIssues(error: z.ZodError, flags: Readonly<Record<string, string>>): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? '(settings)');
    if (seen.has(name)) continue;
    seen.add(name);
    lines.push(`${name}${flags[name] ? ` (${flags[name]})` : ''}: ${issue.message}`);
  }
  return lines.join('\n');
}
