import type { RawItem } from './knowledge.ts';

/** What is wrong with a TAXII envelope as a whole (400 naming `field`; `message` without the field). */
export interface EnvelopeProblem {
  field: 'body' | 'objects';
  message: string;
}

const utf8 = new TextDecoder();

/**
 * The elements of a TAXII envelope `{"objects": [...]}` given as the request's bytes, or what is wrong
 * with it. Pure; runs on the preparing thread (prepare.worker.ts) so that parsing a large POST never
 * blocks the thread serving HTTP.
 */
export function envelopeItems(bytes: Uint8Array): RawItem[] | EnvelopeProblem {
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(bytes));
  } catch (e) {
    return { field: 'body', message: `not valid JSON (${(e as Error).message.slice(0, 200)})` };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { field: 'body', message: 'must be a TAXII envelope {"objects": [...]}' };
  const objects = (body as Record<string, unknown>).objects;
  if (objects === undefined) return { field: 'objects', message: 'is required' };
  if (!Array.isArray(objects)) return { field: 'objects', message: 'must be an array of STIX objects' };
  return (objects as unknown[]).map((value, index) => ({ index, value }));
}

export function isEnvelopeProblem(r: RawItem[] | EnvelopeProblem): r is EnvelopeProblem {
  return !Array.isArray(r);
}
