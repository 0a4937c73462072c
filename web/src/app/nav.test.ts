import { describe, expect, it } from 'vitest';
import { groupOf, navSections } from './nav.ts';
import { ROUTES } from './routes.tsx';

describe('navigation sections', () => {
  it('puts known views in their section, in the routes order, and leaves empty sections out', () => {
    const s = navSections([
      { view: 'situation' },
      { view: 'council' },
      { view: 'incidents' },
      { view: 'support' },
      { view: 'sources' },
      { view: 'outlook' },
    ]);
    expect(s.map((g) => [g.label, g.routes.map((r) => r.view)])).toEqual([
      ['Intelligence', ['situation', 'incidents']],
      ['Decisions', ['council']],
      ['Outlook & sources', ['sources', 'outlook']],
      ['Registers', ['support']],
    ]);
  });

  it('takes a route’s own group first and sends an unknown view to More', () => {
    expect(groupOf({ view: 'support', group: 'decisions' })).toBe('decisions');
    expect(groupOf({ view: 'something-new' })).toBe('more');
    expect(groupOf({ view: 'x', group: 'no-such-group' })).toBe('more');
  });

  it('finds a named section for every listed route of the console', () => {
    expect(ROUTES.filter((r) => !r.hidden && groupOf(r) === 'more').map((r) => r.view)).toEqual([]);
  });
});
