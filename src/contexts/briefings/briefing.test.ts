import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { hashOf, periodProblem, releaseOf, type BriefingData, type Held } from './briefing.ts';
import { md, renderMarkdown, standaloneMarkdown } from './briefing.markdown.ts';
import { renderHtml } from './briefing.html.ts';
import { lastRun } from './briefing.scheduler.ts';

const held = (h: Partial<Held>): Held => ({ id: 'x', modified: 'm', author: 'PL', tlp: 'green', audience: [], ...h });

const data = (over: Partial<BriefingData['situation']> = {}): BriefingData => ({
  title: 'Weekly briefing',
  from: '2025-01-01T00:00:00.000Z',
  to: '2025-01-08T00:00:00.000Z',
  org: 'PL',
  situation: {
    incidents: 2,
    byCategory: [{ key: 'cyber', n: 2 }],
    byMember: [{ key: 'PL', n: 2 }],
    points: [{ lat: 52.2, lon: 21, category: 'cyber' }],
    campaigns: [],
    ...over,
  },
  treaty: { article5: [{ key: 'council-decision', n: 1 }], decisions: [], open: [] },
  outlook: null,
  support: { summary: { byAvenue: [], byProvider: [] }, inPeriod: [] },
  diplomacy: { inPeriod: [], record: [] },
  humanitarian: { items: [], gaps: [] },
});

describe('briefing release', () => {
  it('is the most restrictive TLP held, with the audience every restricted object allows', () => {
    expect(releaseOf([])).toEqual({ tlp: 'clear', audience: [] });
    expect(releaseOf([held({ tlp: 'green' }), held({ tlp: 'amber' })])).toEqual({ tlp: 'amber', audience: [] });
    expect(
      releaseOf([
        held({ tlp: 'amber', audience: ['LT', 'PL'], author: 'DE' }),
        held({ tlp: 'green', audience: ['PL', 'EE'], author: 'LT' }),
      ]),
    ).toEqual({ tlp: 'amber', audience: ['LT', 'PL'] });
    expect(releaseOf([held({ tlp: 'red', author: 'PL' }), held({ tlp: 'amber' })])).toEqual({
      tlp: 'red',
      audience: ['PL'],
    });
    // An audience on CLEAR restricts nothing.
    expect(releaseOf([held({ tlp: 'clear', audience: ['LT'] })])).toEqual({ tlp: 'clear', audience: [] });
  });
  it('is never less restrictive than any object held', () => {
    const rank = Object.fromEntries(TLP_LEVELS.map((t, i) => [t, i]));
    fc.assert(
      fc.property(fc.array(fc.record({ tlp: fc.constantFrom(...TLP_LEVELS) }), { maxLength: 8 }), (xs) => {
        const r = releaseOf(xs.map((x) => held(x)));
        for (const x of xs) expect(rank[r.tlp]).toBeGreaterThanOrEqual(rank[x.tlp]!);
      }),
    );
  });
});

describe('briefing hash and period', () => {
  it('the same data gives the same hash; other data or another version another', () => {
    const h = [held({ id: 'a' }), held({ id: 'b' })];
    expect(hashOf(data(), h)).toBe(hashOf(data(), [...h].reverse()));
    expect(hashOf(data(), h)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(data({ incidents: 3 }), h)).not.toBe(hashOf(data(), h));
    expect(hashOf(data(), [held({ id: 'a', modified: 'n' }), h[1]!])).not.toBe(hashOf(data(), h));
  });
  it('refuses `to` before `from` and a period longer than a year, naming `to`', () => {
    expect(periodProblem('2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z')).toEqual({
      field: 'to',
      message: 'must not be before from',
    });
    expect(periodProblem('2024-01-01T00:00:00Z', '2025-01-02T00:00:01Z')?.field).toBe('to');
    expect(periodProblem('2024-01-01T00:00:00Z', '2024-12-31T00:00:00Z')).toBeUndefined();
  });
  it('the daily run is today at the hour, or yesterday before it', () => {
    expect(lastRun(new Date('2025-03-10T07:00:00Z'), 6).toISOString()).toBe('2025-03-10T06:00:00.000Z');
    expect(lastRun(new Date('2025-03-10T05:59:59Z'), 6).toISOString()).toBe('2025-03-09T06:00:00.000Z');
  });
});

describe('briefing rendering', () => {
  const meta = {
    release: { tlp: 'amber' as const, audience: ['LT', 'PL'] },
    sha256: 'f'.repeat(64),
    members: ['PL'],
    partners: ['UA'],
  };
  it('prints the release at the top and bottom, and every section with its figure', () => {
    const r = renderMarkdown(data(), meta);
    expect(r.markdown.startsWith('**TLP:AMBER, audience: LT, PL**')).toBe(true);
    expect(r.markdown.trimEnd().endsWith('**TLP:AMBER, audience: LT, PL**')).toBe(true);
    for (const s of [
      '1. Situation',
      '2. Treaty and council',
      '3. Outlook',
      '4. Support to partners',
      '5. Diplomacy',
      '6. Humanitarian needs',
    ])
      expect(r.markdown).toContain(`## ${s}`);
    expect(r.markdown).toContain('No outlook data exists');
    expect(Object.keys(r.figures)).toEqual(
      expect.arrayContaining(['situation-map', 'by-category', 'diplomacy-timeline']),
    );
    expect(r.figures['situation-map']).toMatch(/^<svg[^>]*>.*<circle /);
    const html = renderHtml(r, meta.release, 'Weekly');
    expect(html.match(/TLP:AMBER, audience: LT, PL/g)).toHaveLength(4); // banner and Markdown line, top and bottom
    expect(html).toContain('<figure><svg');
    expect(standaloneMarkdown(r)).toContain('](data:image/svg+xml;base64,');
  });
  it('stored text never becomes markup, a link or an image', () => {
    const evil = 'x](javascript:alert(1)) ![i](figure:situation-map) <script>alert(1)</script> | # h';
    const d = data({ campaigns: [{ id: 'c', name: evil, status: 'confirmed', incidents: 1, created: '2025-01-02' }] });
    const r = renderMarkdown(d, meta);
    const html = renderHtml(r, meta.release, evil);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/href="javascript/);
    expect(html.match(/<figure>/g)?.length).toBe(Object.keys(r.figures).length);
    expect(md('a|b')).toBe('a\\|b');
  });
});
