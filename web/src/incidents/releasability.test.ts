import { describe, expect, it } from 'vitest';
import { explainReleasability } from './releasability.ts';
import { ORGANISATIONS } from '../../../src/contexts/sharing/organisations.ts';

const orgs = ORGANISATIONS.map((o) => ({ ...o }));
const explain = (tlp: Parameters<typeof explainReleasability>[0]['tlp'], audience: string[] = []) =>
  explainReleasability({ tlp, audience, author: 'PL', orgs });

describe('explainReleasability mirrors the releasability table', () => {
  it('clear: everyone, the public collection too; an audience changes nothing', () => {
    const e = explain('clear');
    expect(e.readers).toHaveLength(38);
    expect(e.publicCollection).toBe(true);
    expect(e.summary).toMatch(/public/);
    const withAudience = explain('clear', ['LT']);
    expect(withAudience.readers).toHaveLength(38);
    expect(withAudience.notes.join(' ')).toMatch(/no effect/);
  });

  it('green without audience: every organisation, partners included, not the public', () => {
    const e = explain('green');
    expect(e.readers).toHaveLength(38);
    expect(e.readers).toContain('UA');
    expect(e.publicCollection).toBe(false);
    expect(e.summary).toMatch(/32 members and 6 partners/);
  });

  it('amber without audience: every member, no partner', () => {
    const e = explain('amber');
    expect(e.readers).toHaveLength(32);
    expect(e.readers).not.toContain('UA');
    expect(e.summary).toMatch(/partners .* do not see it/);
  });

  it('amber+strict and red without audience: the author only', () => {
    for (const tlp of ['amber+strict', 'red'] as const) {
      const e = explain(tlp);
      expect(e.readers).toEqual(['PL']);
      expect(e.summary).toMatch(/Only your organisation \(PL\)/);
    }
  });

  it('an audience limits green, amber, amber+strict and red to the audience and the author', () => {
    for (const tlp of ['green', 'amber', 'amber+strict', 'red'] as const) {
      const e = explain(tlp, ['LT', 'UA', 'LT']);
      expect(e.readers).toEqual(['LT', 'PL', 'UA']);
      expect(e.summary).toBe('Only LT, UA and your organisation (PL).');
    }
  });
});
