import { useEffect, useRef, useState, type ReactNode } from 'react';
import * as Plot from '@observablehq/plot';

/**
 * One Observable Plot chart, redrawn when its options change and sized to its container (so that it fits
 * a phone). The SVG is an image named by `label`; the same numbers are always given as a table beside it.
 */
export function PlotFigure({
  label,
  options,
  testId,
}: {
  label: string;
  options: (width: number) => Plot.PlotOptions;
  testId?: string;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => {
      const w = Math.floor(e?.contentRect.width ?? 0);
      if (w > 0) setWidth((old) => (Math.abs(old - w) > 8 ? w : old));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = Plot.plot({
      ...options(Math.max(240, Math.min(width, 900))),
      ariaLabel: label,
      style: { background: 'transparent', color: 'var(--text)', fontSize: '11px' },
    });
    // One image with one name: Plot labels its inner groups too (aria-label on a plain <g>, which ARIA
    // prohibits), and with a legend it answers a <figure> around the SVG.
    for (const inner of chart.querySelectorAll('[aria-label], [aria-description]')) {
      inner.removeAttribute('aria-label');
      inner.removeAttribute('aria-description');
    }
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', label);
    el.replaceChildren(chart);
    return () => chart.remove();
  }, [options, width, label]);
  return <div ref={ref} className="outlook-chart" data-testid={testId} />;
}
