import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { Ajv } from 'ajv';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as new (opts: Record<string, unknown>) => Ajv;
const addFormats = require('ajv-formats') as (a: unknown) => void;

/**
 * Validates STIX objects against the OASIS STIX 2.1 JSON schemas in test/fixtures, with the
 * upstream defects worked around (see the domain reference):
 * - the `type` and `…-ext` patterns backtrack exponentially and are invalid under Ajv's unicode
 *   flag: replaced by the equivalent linear `^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$` (and `…-ext$`);
 * - bundle.json's oneOf over custom objects: each object is validated against its own type;
 * - idn-hostname needs a format: accepted as a non-empty string without spaces.
 * Only for tests, on our own output; never on untrusted input.
 */
const ROOT = fileURLToPath(new URL('./fixtures/stix2-json-schemas/schemas', import.meta.url));
const BAD_TYPE = '^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-?$';
const BAD_EXT = '^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-ext$';

function patch(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(patch);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const key = k === BAD_EXT ? '^[a-z][a-z0-9]*(-[a-z0-9]+)*-ext$' : k;
    out[key] = k === 'pattern' && v === BAD_TYPE ? '^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$' : patch(v);
  }
  return out;
}

let validators: Map<string, ValidateFunction> | undefined;
let generic: { sdo: ValidateFunction; sco: ValidateFunction } | undefined;

function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: true });
  addFormats(ajv);
  ajv.addFormat('idn-hostname', { type: 'string', validate: (s: string) => s.length > 0 && !s.includes(' ') });
  const byType = new Map<string, string>();
  for (const dir of ['common', 'sdos', 'sros', 'observables']) {
    for (const f of readdirSync(join(ROOT, dir))) {
      const schema = patch(JSON.parse(readFileSync(join(ROOT, dir, f), 'utf8'))) as { $id: string };
      ajv.addSchema(schema);
      if (dir !== 'common') byType.set(f.replace(/\.json$/, ''), schema.$id);
      if (f === 'marking-definition.json' || f === 'extension-definition.json' || f === 'language-content.json')
        byType.set(f.replace(/\.json$/, ''), schema.$id);
    }
  }
  validators = new Map([...byType].map(([t, id]) => [t, ajv.getSchema(id)!]));
  const core = ajv.getSchema(
    'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/core.json',
  )!;
  const sco = ajv.getSchema(
    'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/cyber-observable-core.json',
  )!;
  generic = { sdo: core, sco };
  return validators;
}

/** Returns the schema errors of one object (empty when valid). Custom types use the core schema. */
export function stixSchemaErrors(obj: Record<string, unknown>): string[] {
  const v = load().get(String(obj.type)) ?? (obj.created === undefined ? generic!.sco : generic!.sdo);
  const id = String(obj.id);
  if (v(obj)) return [];
  return (v.errors ?? []).map(
    (e: { instancePath: string; message?: string }) => `${id} ${e.instancePath} ${e.message ?? ''}`,
  );
}
