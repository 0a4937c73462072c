import { z } from 'zod';

/**
 * Zod parts for settings read from the environment (or a flag standing in for it). A variable that is
 * unset or empty takes its default; anything else must parse, or start-up stops naming it.
 */
const unset = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';

export function wholeNumber(dflt: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return dflt;
      const t = v.trim();
      const n = Number(t);
      if (!/^\d{1,16}$/.test(t) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 40)}" is not a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });
}

export function text(dflt: string) {
  return z
    .string()
    .optional()
    .transform((v) => (unset(v) ? dflt : v.trim()));
}

export function optionalUrl(protocols: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return undefined;
      let u: URL;
      try {
        u = new URL(v.trim());
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a URL' });
        return z.NEVER;
      }
      if (!protocols.includes(u.protocol)) {
        ctx.addIssue({ code: 'custom', message: `must start with ${protocols.map((p) => `${p}//`).join(' or ')}` });
        return z.NEVER;
      }
      return v.trim();
    });
}

/** A secret given by the operator: at least 32 characters, no spaces or commas (lists are comma-separated). */
export function secret() {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return undefined;
      if (v.length < 32 || /[\s,]/.test(v)) {
        ctx.addIssue({
          code: 'custom',
          message: 'needs at least 32 characters and no spaces or commas (e.g. openssl rand -hex 32)',
        });
        return z.NEVER;
      }
      return v;
    });
}

export function secretList() {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = unset(v)
        ? []
        : v
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean);
      if (list.some((k) => k.length < 32)) {
        ctx.addIssue({ code: 'custom', message: 'each key needs at least 32 characters (comma-separated list)' });
        return z.NEVER;
      }
      return list;
    });
}

export function oneOf<T extends string>(values: readonly T[], dflt: T) {
  return z
    .string()
    .optional()
    .transform((v, ctx): T => {
      if (unset(v)) return dflt;
      const t = v.trim() as T;
      if (!values.includes(t)) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return t;
    });
}

const PROXY = /^(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]{2,45}(\/\d{1,3})?)$/;

export function proxyList() {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = unset(v)
        ? []
        : v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
      const bad = list.find((x) => !PROXY.test(x));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${bad.slice(0, 60)}" is not an address, a CIDR or loopback/linklocal/uniquelocal`,
        });
        return z.NEVER;
      }
      return list;
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

/** The address clients reach the server at: http(s), no credentials, query or fragment; no trailing slash. */
export function publicUrl() {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return undefined;
      let u: URL;
      try {
        u = new URL(v.trim());
      } catch {
        ctx.addIssue({ code: 'custom', message: `${v.slice(0, 100)} is not a URL (e.g. https://bulwark.example.org)` });
        return z.NEVER;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: `must be an http or https URL, not ${u.protocol}` });
        return z.NEVER;
      }
      if (u.username || u.password || u.search || u.hash) {
        ctx.addIssue({ code: 'custom', message: 'must not carry credentials, a query or a fragment' });
        return z.NEVER;
      }
      let url = `${u.origin}${u.pathname}`;
      while (url.endsWith('/')) url = url.slice(0, -1);
      return url;
    });
}
