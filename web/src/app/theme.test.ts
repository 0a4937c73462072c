import { describe, expect, it } from 'vitest';
import { categoryColour, contrastRatio, palette, tlpColour } from './theme.ts';

describe('palette contrast (WCAG AA)', () => {
  const surfaces = { bg: palette.bg, panel: palette.panel, raised: palette.raised };
  const texts = {
    text: palette.text,
    muted: palette.muted,
    accent: palette.accent,
    danger: palette.danger,
    warn: palette.warn,
    ok: palette.ok,
  };

  for (const [sn, s] of Object.entries(surfaces)) {
    for (const [tn, t] of Object.entries(texts)) {
      it(`${tn} on ${sn} is at least 4.5:1`, () => {
        expect(contrastRatio(t, s)).toBeGreaterThanOrEqual(4.5);
      });
    }
  }

  it('button text on the accent colour is at least 4.5:1', () => {
    expect(contrastRatio(palette.accentText, palette.accent)).toBeGreaterThanOrEqual(4.5);
  });

  it('TLP badges are at least 4.5:1', () => {
    for (const { fg, bg } of Object.values(tlpColour)) expect(contrastRatio(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('every incident marker stands out at 3:1 from sea and every kind of land (non-text contrast)', () => {
    for (const c of Object.values(categoryColour)) {
      for (const ground of [palette.sea, palette.land, palette.member, palette.partner])
        expect(contrastRatio(c, ground)).toBeGreaterThanOrEqual(3);
    }
  });

  it('members, partners and non-members have fills told apart at a glance', () => {
    expect(contrastRatio(palette.member, palette.land)).toBeGreaterThanOrEqual(1.8);
    expect(contrastRatio(palette.partner, palette.land)).toBeGreaterThanOrEqual(1.8);
    expect(contrastRatio(palette.land, palette.sea)).toBeGreaterThanOrEqual(1.2);
  });

  it('computes the known extremes', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
  });
});
