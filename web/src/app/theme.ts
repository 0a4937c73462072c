/**
 * The console's palette: one source for CSS (applied as custom properties at start-up) and for
 * the contrast test that holds every text pair to WCAG AA (4.5:1) and every map symbol to 3:1.
 */
export const palette = {
  bg: '#0d1117',
  panel: '#151b23',
  raised: '#1d2632',
  border: '#3a4757',
  text: '#e6edf3',
  muted: '#a3b1bf',
  accent: '#79b8ff',
  accentText: '#0d1117',
  danger: '#ff9492',
  warn: '#f2cc60',
  ok: '#7ee2a8',
  sea: '#0b1a2a',
  land: '#262b32',
  member: '#2b5580',
  partner: '#5c4682',
  graticule: '#1f3347',
  treatyLine: '#f2cc60',
} as const;

export const categoryColour: Record<string, string> = {
  disinformation: '#ffa26b',
  cyber: '#6fd3ff',
  'economic-pressure': '#ffd866',
  'covert-support': '#dcb0ff',
  sabotage: '#ff7a8a',
  'airspace-violation': '#a6f05a',
  'migration-pressure': '#ffb3e0',
  other: '#d5dde5',
};

export function colourOfCategory(c: string): string {
  return categoryColour[c] ?? categoryColour.other!;
}

export const tlpColour: Record<string, { fg: string; bg: string }> = {
  clear: { fg: '#0d1117', bg: '#e6edf3' },
  green: { fg: '#0d1117', bg: '#5ad17a' },
  amber: { fg: '#0d1117', bg: '#ffc000' },
  'amber+strict': { fg: '#0d1117', bg: '#ffc000' },
  red: { fg: '#0d1117', bg: '#ff5b5b' },
};

function channel(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of a #rrggbb colour (WCAG 2.x). */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Applies the palette as CSS custom properties (--bg, --text, …). */
export function applyPalette(root: HTMLElement): void {
  for (const [k, v] of Object.entries(palette))
    root.style.setProperty(`--${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`, v);
}
