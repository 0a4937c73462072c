import { describe, expect, it } from 'vitest';
import { RELEASE_EXTENSION_ID } from '../../kernel/access/outbound.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { organisationIdentityId } from '../sharing/identity.ts';
import { FEDERATION_EXTENSION_ID, inbound, narrowedCopy, outbound, type FeedRow } from './feed.ts';

const obj = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--5a6b3c1e-1111-4222-8333-444455556666',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-02T00:00:00.000Z',
  name: 'secret name',
  pattern: "[domain-name:value = 'evil.example']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
  created_by_ref: 'identity--0c4c3f7e-1b2a-4c5d-8e9f-0a1b2c3d4e5f',
};
const row = (extra: Partial<FeedRow> = {}): FeedRow => ({
  id: obj.id,
  added_us: 1,
  date_added: '2026-01-02T00:00:00.000001Z',
  author: 'PL',
  tlp: 'amber',
  audience: ',LT,PL,',
  json: JSON.stringify(obj),
  notice: 0,
  deleted: 0,
  ...extra,
});
const any = { authors: null };

describe('what travels between nodes', () => {
  it('an object leaves with its author as created_by_ref, its TLP as a marking and its audience; it comes back the same', () => {
    const out = JSON.parse(outbound(row())) as Record<string, unknown>;
    expect(out).toMatchObject({
      created_by_ref: organisationIdentityId('PL'),
      object_marking_refs: [TLP2_MARKING_IDS.amber],
      extensions: { [RELEASE_EXTENSION_ID]: { tlp: 'amber', audience: ['LT', 'PL'] } },
      name: 'secret name',
    });
    const back = inbound(out, any);
    expect(back).toMatchObject({ kind: 'object', author: 'PL', tlp: 'amber', audience: ['LT', 'PL'] });
    // Sending what was received gives the same text: a relay through a third node is an exact duplicate.
    const again = outbound(row({ json: JSON.stringify(out) }));
    expect(JSON.parse(again)).toEqual(out);
  });

  it('a narrowing notice carries the release and the times, nothing of the content', () => {
    const n = JSON.parse(outbound(row({ notice: 1, tlp: 'red', audience: ',PL,' }))) as Record<string, unknown>;
    expect(n).not.toHaveProperty('name');
    expect(n).not.toHaveProperty('pattern');
    expect(JSON.stringify(n)).not.toContain('secret');
    expect(n).toMatchObject({ id: obj.id, modified: obj.modified, object_marking_refs: [TLP2_MARKING_IDS.red] });
    const i = inbound(n, any);
    expect(i).toMatchObject({ kind: 'notice', author: 'PL', tlp: 'red', audience: ['PL'] });
    if (i.kind === 'refused') throw new Error('refused');
    // The receiving node narrows its own copy: its content, the notice's modified and release.
    const held = { ...obj, object_marking_refs: [TLP2_MARKING_IDS.green], modified: '2026-01-01T00:00:00.000Z' };
    const copy = narrowedCopy(held, i);
    expect(copy).toMatchObject({
      name: 'secret name',
      modified: obj.modified,
      object_marking_refs: [TLP2_MARKING_IDS.red],
      extensions: { [RELEASE_EXTENSION_ID]: { tlp: 'red', audience: ['PL'] } },
    });
    expect((copy.extensions as Record<string, unknown>)[FEDERATION_EXTENSION_ID]).toBeUndefined();
  });

  it('a deletion names the version and its release, nothing of the content; only a trusted author is taken', () => {
    const named = { type: obj.type, spec_version: '2.1', id: obj.id, created: obj.created, modified: obj.modified };
    const d = JSON.parse(outbound(row({ deleted: 1, json: JSON.stringify(named) }))) as Record<string, unknown>;
    expect(JSON.stringify(d)).not.toContain('secret');
    expect(d).toMatchObject({
      id: obj.id,
      modified: obj.modified,
      created_by_ref: organisationIdentityId('PL'),
      object_marking_refs: [TLP2_MARKING_IDS.amber],
      extensions: { [FEDERATION_EXTENSION_ID]: { author: 'PL', notice: 'deleted' } },
    });
    expect(inbound(d, any)).toMatchObject({ kind: 'deleted', author: 'PL', version: '2026-01-02T00:00:00.000000000Z' });
    expect(inbound(d, { authors: ['LT'] })).toMatchObject({ kind: 'refused', reason: expect.stringContaining('PL') });
  });

  it('refuses what names no organisation, an untrusted author, two authors, no TLP, a bad audience', () => {
    const good = JSON.parse(outbound(row())) as Record<string, unknown>;
    const cases: Array<[unknown, string]> = [
      [{ ...good, created_by_ref: obj.created_by_ref }, "names no organisation's identity"],
      [{ ...good, object_marking_refs: [] }, 'no TLP marking'],
      [
        {
          ...good,
          extensions: {
            [RELEASE_EXTENSION_ID]: { extension_type: 'property-extension', tlp: 'amber', audience: ['XX'] },
          },
        },
        'release extension',
      ],
      [
        {
          ...good,
          extensions: { [RELEASE_EXTENSION_ID]: { extension_type: 'property-extension', tlp: 'amber', audience: [] } },
        },
        'release extension',
      ],
      [
        {
          ...good,
          extensions: {
            [RELEASE_EXTENSION_ID]: { extension_type: 'property-extension', tlp: 'green', audience: ['LT'] },
          },
        },
        'different TLP',
      ],
      [
        { ...good, extensions: { [FEDERATION_EXTENSION_ID]: { extension_type: 'property-extension', author: 'LT' } } },
        'two different authors',
      ],
      ['not an object', 'not a JSON object'],
    ];
    for (const [v, reason] of cases)
      expect(inbound(v, any)).toMatchObject({ kind: 'refused', reason: expect.stringContaining(reason) });
    expect(inbound(good, { authors: ['LT'] })).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('author PL'),
    });
    expect(inbound(good, { authors: ['PL'] })).toMatchObject({ kind: 'object' });
  });

  it('an observable names its author in the federation extension, not created_by_ref', () => {
    const sco = {
      type: 'ipv4-addr',
      spec_version: '2.1',
      id: 'ipv4-addr--1b2c3d4e-5f60-5718-8293-a4b5c6d7e8f9',
      value: '203.0.113.9',
    };
    const out = JSON.parse(outbound(row({ id: sco.id, json: JSON.stringify(sco), audience: '' }))) as Record<
      string,
      unknown
    >;
    expect(out.created_by_ref).toBeUndefined();
    expect(out.extensions).toEqual({
      [FEDERATION_EXTENSION_ID]: { extension_type: 'property-extension', author: 'PL' },
    });
    expect(inbound(out, any)).toMatchObject({ kind: 'object', author: 'PL', tlp: 'amber', audience: [], version: '' });
  });
});
