import * as Plot from '@observablehq/plot';

/**
 * Layout of a horizontal bar chart whose bars are named on the left: the names wrap onto two lines
 * when the chart is narrow (a phone) instead of being cut, and the bars keep the order given.
 */
export function namedBars(width: number, names: readonly string[]) {
  const marginLeft = Math.round(Math.min(200, width * 0.38));
  const rowHeight = width < 520 ? 40 : 30;
  return {
    height: 44 + names.length * rowHeight,
    marginLeft,
    y: { label: null, domain: [...names], axis: null },
    // lineWidth is in ems of the charts’ 11 px font
    axis: Plot.axisY({ tickSize: 0, lineWidth: (marginLeft - 12) / 11, label: null }),
  } as const;
}
