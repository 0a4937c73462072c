/** Which rows of a fixed-height list are in view: [start, end) with overscan on both sides. */
export function visibleWindow(a: {
  count: number;
  rowHeight: number;
  scrollTop: number;
  viewport: number;
  overscan: number;
}): { start: number; end: number } {
  if (a.count <= 0 || a.rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, a.scrollTop) / a.rowHeight);
  const visible = Math.ceil(Math.max(0, a.viewport) / a.rowHeight) + 1;
  const start = Math.max(0, first - a.overscan);
  const end = Math.min(a.count, first + visible + a.overscan);
  return { start, end: Math.max(start, end) };
}
