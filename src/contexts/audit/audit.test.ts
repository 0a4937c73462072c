import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, GENESIS, nextRow, verifyChain, type AuditRow } from './audit.ts';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let i = 0; i < n; i++)
    rows.push(
      nextRow(
        rows[i - 1],
        {
          actor: 'user:anna@PL',
          action: 'position',
          subject: `proposal--${i % 3}`,
          data: { i, z: 1, a: [2, { y: 1, b: 2 }] },
        },
        `2025-01-01T00:00:0${i % 10}.000Z`,
      ),
    );
  return rows;
}

describe('hash-chained audit log', () => {
  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });

  it('an intact chain verifies and starts from the genesis hash', () => {
    const rows = chain(20);
    expect(rows[0]!.prevHash).toBe(GENESIS);
    expect(verifyChain(rows)).toEqual({ ok: true, entries: 20, head: rows[19]!.hash });
    expect(verifyChain([])).toEqual({ ok: true, entries: 0, head: GENESIS });
  });

  it('any altered field of any row is named by its seq', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom('at', 'actor', 'action', 'subject', 'data', 'hash'),
        (i, field) => {
          const rows = chain(12);
          const victim = { ...rows[i]! } as Record<string, unknown>;
          victim[field] = `${String(victim[field])}x`;
          rows[i] = victim as unknown as AuditRow;
          const r = verifyChain(rows);
          expect(r.ok).toBe(false);
          // A changed stored hash is caught at the row itself, except that the next row's link then fails too; the first is named.
          expect(r.firstBrokenSeq).toBe(i + 1);
        },
      ),
    );
  });

  it('a deleted row and a recomputed (re-hashed) altered row are caught at the first broken link', () => {
    const rows = chain(6);
    expect(verifyChain([...rows.slice(0, 2), ...rows.slice(3)])).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    const forged = nextRow(
      rows[1],
      { actor: 'user:mallory@XX', action: 'position', subject: 's', data: {} },
      rows[2]!.at,
    );
    expect(verifyChain([rows[0]!, rows[1]!, forged, ...rows.slice(3)])).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });
});
