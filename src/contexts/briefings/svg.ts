/** Small helpers for the SVG figures of a briefing. Pure. */

/** Text safe inside SVG/HTML elements and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Numbers as SVG coordinates: two decimals at most. */
export function n(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** One colour per incident category (the console's palette), grey for anything else. */
export const CATEGORY_COLOURS: Readonly<Record<string, string>> = {
  disinformation: '#8e44ad',
  cyber: '#2471a3',
  'economic-pressure': '#b9770e',
  'covert-support': '#6e2c00',
  sabotage: '#c0392b',
  'airspace-violation': '#d35400',
  'migration-pressure': '#117a65',
  other: '#616a6b',
};

export function colourOf(category: string): string {
  return CATEGORY_COLOURS[category] ?? '#616a6b';
}

export function svg(width: number, height: number, label: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}" font-family="sans-serif" font-size="12">${body}</svg>`;
}
