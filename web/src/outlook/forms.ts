/**
 * The outlook forms' checks: a draft is checked by the same zod schema the server applies, and every
 * problem is keyed by its field's path (`scenarios.1.prior`, `likelihoods.war`), which is also how the
 * server names a field in a 4xx (`error.field`, `error.details[].field`). A form shows each message
 * beside the field it names; what names no field of the form is shown at the form's head.
 */
import type { z } from 'zod';
import { ApiError } from '../api/client.ts';

export type FieldErrors = Record<string, string>;

/** The whole form (a problem of no field, or of a field the form does not show). */
export const FORM = '';

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Checks a draft with a wire schema; the first message per field. */
export function check<S extends z.ZodType>(schema: S, draft: unknown): Checked<z.infer<S>> {
  const r = schema.safeParse(draft);
  if (r.success) return { ok: true, data: r.data };
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    const field = issue.path.map(String).join('.');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The server's refusal keyed by the fields it names (all of them when it names several). */
export function serverErrors(err: unknown): FieldErrors {
  if (!(err instanceof ApiError)) return { [FORM]: err instanceof Error ? err.message : String(err) };
  const errors: FieldErrors = {};
  for (const d of err.details) if (d.field !== undefined) errors[stripBody(d.field)] ??= d.message;
  if (err.field !== undefined) errors[stripBody(err.field)] ??= stripField(err.message, err.field);
  if (Object.keys(errors).length === 0) errors[FORM] = err.message;
  return errors;
}

const stripBody = (f: string): string => (f === 'body' ? FORM : f.replace(/^body\./, ''));
const stripField = (message: string, field: string): string =>
  message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;

/**
 * Moves the problems of fields a form does not show to the form's head, naming the field, so none
 * is lost: `shown` lists the fields with a place of their own.
 */
export function place(errors: FieldErrors, shown: (field: string) => boolean): FieldErrors {
  const out: FieldErrors = {};
  const rest: string[] = [];
  for (const [field, message] of Object.entries(errors)) {
    if (field === FORM || !shown(field)) rest.push(field === FORM ? message : `${field}: ${message}`);
    else out[field] = message;
  }
  if (rest.length > 0) out[FORM] = rest.join('; ');
  return out;
}

/** "PL, LT lv" → ['PL', 'LT', 'LV']; empty → undefined (no audience given). */
export function codes(text: string): string[] | undefined {
  const list = text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  return list.length > 0 ? list : undefined;
}

/** A number typed in a field: '' stays missing (the schema says it is required), commas read as points. */
export function num(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** A title to a key the schema accepts: "Frozen conflict" → "frozen-conflict". */
export function keyOf(title: string): string {
  const k = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return k;
}
