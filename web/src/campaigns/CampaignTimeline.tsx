import type { ReactNode } from 'react';
import type { Incident } from '../api/types.ts';
import { colourOfCategory } from '../app/theme.ts';
import { ticks, xOf } from './timeline.ts';

const W = 640;
const H = 64;

/** The campaign's incidents on a dated axis (ISO dates), each dot in its category's colour. */
export function CampaignTimeline({ incidents }: { incidents: readonly Incident[] }): ReactNode {
  const times = incidents.map((i) => Date.parse(i.occurredAt)).filter(Number.isFinite);
  if (times.length === 0) return null;
  const from = Math.min(...times);
  const to = Math.max(...times, from + 86_400_000);
  return (
    <svg
      className="campaign-timeline"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Timeline from ${new Date(from).toISOString().slice(0, 10)} to ${new Date(to).toISOString().slice(0, 10)}`}
      data-testid="campaign-timeline"
    >
      <line x1={40} x2={W - 40} y1={30} y2={30} className="axis" />
      {ticks(from, to).map((t) => (
        <g key={t.at} transform={`translate(${xOf(t.at, from, to, W)},30)`}>
          <line y1={-4} y2={4} className="axis" />
          <text y={20} textAnchor="middle">
            {t.label}
          </text>
        </g>
      ))}
      {incidents.map((i, k) => (
        <circle
          key={i.id}
          cx={xOf(Date.parse(i.occurredAt), from, to, W)}
          cy={30 - 8 - (k % 3) * 5}
          r={4.5}
          fill={colourOfCategory(i.category)}
        >
          <title>{`${i.occurredAt.slice(0, 10)} · ${i.title} (${i.category})`}</title>
        </circle>
      ))}
    </svg>
  );
}
