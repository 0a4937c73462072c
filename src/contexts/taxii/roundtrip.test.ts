import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testServer, type TestServer } from '../../../test/server.ts';
import { sqliteFileStore } from '../../../test/databases.ts';
import { stixSchemaErrors } from '../../../test/stix-schema.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { scanBundleFile } from '../stix/bundle.reader.ts';
import { canonicalJson } from '../stix/stix.ts';
import { TLP2_MARKING_IDS, tlpOfMarkingId } from '../../kernel/access/tlp.ts';
import { exportBundle } from '../knowledge/knowledge.export.ts';
import { TAXII_MEDIA } from './taxii.ts';

const BUNDLES = ['ics-attack-18.1.json', 'DISARM.json'].map((f) => `test/fixtures/stix-bundles/${f}`);

describe('real bundles round-trip through TAXII and export, and validate against the OASIS schemas', () => {
  let s: TestServer;
  let token: string;
  const original = new Map<string, Record<string, unknown>>();
  beforeAll(async () => {
    s = await testServer({ db: sqliteFileStore });
    token = await s.token('UA');
    for (const f of BUNDLES) {
      for (const o of (JSON.parse(readFileSync(f, 'utf8')) as { objects: Array<Record<string, unknown>> }).objects)
        original.set(o.id as string, o);
      const r = await s.services.knowledge.ingest(systemActor('test-import'), scanBundleFile(f), {
        asOrg: 'US',
        defaultTlp: 'green',
      });
      expect(r.rejected).toEqual([]);
    }
  }, 120_000);
  afterAll(async () => s.close());

  it('every object comes back equal (with the TLP it is held under) through TAXII paging, and each validates', async () => {
    const got = new Map<string, unknown>();
    let next: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await s.app.inject({
        url: `/taxii2/alliance/collections/alliance/objects/?limit=1000${next ? `&next=${next}` : ''}`,
        headers: { accept: TAXII_MEDIA, authorization: `Bearer ${token}` },
      });
      expect(r.statusCode).toBe(200);
      const b = r.json();
      for (const o of b.objects ?? []) got.set(o.id, o);
      if (!b.more) break;
      next = b.next;
    }
    // The store also holds what the server defines itself at start (e.g. intel's extension definition).
    expect([...original.keys()].filter((id) => !got.has(id))).toEqual([]);
    const errors: string[] = [];
    for (const [id, o] of original) {
      expect(canonicalJson(got.get(id))).toBe(canonicalJson(heldAsGreen(o)));
      errors.push(...stixSchemaErrors(got.get(id) as Record<string, unknown>));
    }
    expect(errors.slice(0, 10)).toEqual([]);
  }, 120_000);

  it('the export bundle holds every object, equal (with the TLP it is held under), for a partner reading TLP:GREEN', async () => {
    let text = '';
    for await (const chunk of exportBundle(s.services.knowledge, {
      reader: { kind: 'org', org: 'UA', orgKind: 'partner' },
    }))
      text += chunk.toString();
    const bundle = JSON.parse(text) as { type: string; id: string; objects: Array<Record<string, unknown>> };
    expect(bundle.type).toBe('bundle');
    const fromBundles = bundle.objects.filter((o) => original.has(o.id as string));
    expect(fromBundles).toHaveLength(original.size);
    for (const o of fromBundles)
      expect(canonicalJson(o)).toBe(canonicalJson(heldAsGreen(original.get(o.id as string)!)));
    expect(bundle.objects.flatMap((o) => stixSchemaErrors(o)).slice(0, 10)).toEqual([]);
  }, 120_000);

  it('an anonymous export holds none of the TLP:GREEN bundle objects', async () => {
    let text = '';
    for await (const chunk of exportBundle(s.services.knowledge, { reader: { kind: 'anonymous' } }))
      text += chunk.toString();
    const objects = (JSON.parse(text) as { objects: Array<{ id: string }> }).objects;
    expect(objects.filter((o) => original.has(o.id))).toEqual([]);
  });
});

/**
 * An object as it leaves a store that holds it as TLP:GREEN: unchanged, except that one without a TLP
 * marking of its own (the ATT&CK bundles carry only a statement marking) gains the TLP:GREEN one.
 */
function heldAsGreen(o: Record<string, unknown>): Record<string, unknown> {
  const refs = (o.object_marking_refs ?? []) as string[];
  if (
    refs.some((r) => tlpOfMarkingId(r) !== undefined) ||
    (o.type === 'marking-definition' && tlpOfMarkingId(o.id as string))
  )
    return o;
  return { ...o, object_marking_refs: [...refs, TLP2_MARKING_IDS.green] };
}
