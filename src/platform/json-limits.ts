/**
 * What every JSON value the server accepts must keep so that it is stored as it was sent. Pure.
 *
 * JSON.parse turns a number too large for a double (`-1e999`) into ±Infinity, which JSON.stringify
 * then writes as `null`; and it rounds integers beyond 2^53 − 1 (9007199254740993 becomes
 * 9007199254740992). Both silently change what was sent, so they are refused, as is nesting deeper
 * than the caller allows (JSON.stringify and every recursive walk would otherwise exhaust the stack).
 */
export interface JsonProblem {
  /** Where, as a field path such as `objects[3].x_size` or `assessment.a.b`; '' for the value itself. */
  path: string;
  message: string;
}

/** STIX integers range over -(2^53 - 1)..2^53 - 1 (section 2.6); every double beyond that is an integer. */
const MAX_MAGNITUDE = Number.MAX_SAFE_INTEGER;
const TOO_DEEP = 'too deep';
/** A path is cut here so that an error about deep nesting stays short. */
const MAX_PATH = 120;

export function numberProblem(n: number): string | undefined {
  if (!Number.isFinite(n))
    return 'is a number beyond the range of a double (such as 1e999); it would be stored as null';
  if (n > MAX_MAGNITUDE || n < -MAX_MAGNITUDE)
    return `is a number beyond ±${MAX_MAGNITUDE} (2^53 - 1), which cannot be stored exactly; send it as a string`;
  return undefined;
}

/**
 * The first problem in a parsed JSON value, or undefined. The walk never goes deeper than `maxDepth`
 * (a value nesting more containers than that is itself the problem), and allocates nothing unless it
 * finds one: it runs once per imported STIX object.
 */
export function jsonValueProblem(value: unknown, maxDepth: number): JsonProblem | undefined {
  const p = walk(value, maxDepth);
  if (!p) return undefined;
  const message = p.message === TOO_DEEP ? `is nested deeper than ${maxDepth} levels` : p.message;
  // The walk stops at maxDepth, so the path has at most that many steps; only its start is kept.
  return { path: p.path.length > MAX_PATH ? `${p.path.slice(0, MAX_PATH)}…` : p.path, message };
}

function walk(value: unknown, maxDepth: number): JsonProblem | undefined {
  if (typeof value === 'number') {
    const m = numberProblem(value);
    return m === undefined ? undefined : { path: '', message: m };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (maxDepth <= 0) return { path: '', message: TOO_DEEP };
  if (Array.isArray(value)) {
    const a = value as unknown[];
    for (let i = 0; i < a.length; i++) {
      const p = walk(a[i], maxDepth - 1);
      if (p) return within(`[${i}]`, p);
    }
  } else {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      const p = walk(o[k], maxDepth - 1);
      if (p) return within(k.length > 60 ? `${k.slice(0, 60)}…` : k, p);
    }
  }
  return undefined;
}

function within(step: string, p: JsonProblem): JsonProblem {
  return { path: joinPath(step, p.path), message: p.message };
}

/** `path` under `prefix` (`objects[2]` and `x_size` give `objects[2].x_size`). */
export function joinPath(prefix: string, path: string): string {
  if (path === '') return prefix;
  if (prefix === '') return path;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
