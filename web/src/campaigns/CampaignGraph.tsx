import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import cytoscape from 'cytoscape';
import type { Incident } from '../api/types.ts';
import { colourOfCategory, palette } from '../app/theme.ts';
import { navigate } from '../app/router.ts';
import type { CampaignLink } from './members.ts';

/** Cytoscape draws on a 2D canvas; without one (a test DOM, a locked-down browser) the list below stands alone. */
function canDraw(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The campaign's incidents as a graph (Cytoscape.js): one node per incident in its category's colour,
 * one edge per correlation labelled with its first reason. Clicking a node opens the incident. The same
 * links are listed in a table beside it for keyboard and screen-reader users.
 */
export function CampaignGraph({
  ids,
  byId,
  links,
}: {
  ids: readonly string[];
  byId: ReadonlyMap<string, Incident>;
  links: readonly CampaignLink[];
}): ReactNode {
  const el = useRef<HTMLDivElement>(null);
  // the graph is laid out again only when what it shows changes, not on every render
  const latest = useRef({ ids, byId, links });
  useLayoutEffect(() => {
    latest.current = { ids, byId, links };
  });
  const shape = `${ids.map((id) => `${id}:${byId.get(id)?.title ?? ''}`).join(',')}|${links.map((l) => `${l.a}-${l.b}`).join(',')}`;
  useEffect(() => {
    if (!el.current || !canDraw()) return;
    const { ids, byId, links } = latest.current;
    const cy = cytoscape({
      container: el.current,
      elements: [
        ...ids.map((id) => {
          const i = byId.get(id);
          return {
            data: {
              id,
              label: short(i?.title ?? 'incident you cannot read', 28),
              colour: colourOfCategory(i?.category ?? 'other'),
            },
          };
        }),
        ...links.map((l) => ({
          data: {
            id: `${l.a}|${l.b}`,
            source: l.a,
            target: l.b,
            label: short(l.reasons[0] ?? '', 36),
            w: 1 + l.score * 3,
          },
        })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)',
            label: 'data(label)',
            color: palette.text,
            'font-size': 10,
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'text-outline-color': palette.bg,
            'text-outline-width': 2,
            width: 16,
            height: 16,
          },
        },
        {
          selector: 'edge',
          style: {
            width: 'data(w)',
            'line-color': palette.muted,
            label: 'data(label)',
            'font-size': 8,
            color: palette.muted,
            'text-rotation': 'autorotate',
            'text-background-color': palette.bg,
            'text-background-opacity': 0.85,
            'curve-style': 'bezier',
          },
        },
      ],
      // a circle keeps every node and its label apart for the sizes campaigns have (tens of incidents)
      layout: { name: 'circle', animate: false, padding: 36, avoidOverlap: true, spacingFactor: 1.1 },
      userZoomingEnabled: true,
      boxSelectionEnabled: false,
    });
    cy.on('tap', 'node', (e) => navigate('incidents', (e.target as cytoscape.NodeSingular).id()));
    return () => cy.destroy();
  }, [shape]);
  return (
    <div
      ref={el}
      className="campaign-graph"
      role="img"
      aria-label={`Graph of ${ids.length} incidents and the ${links.length} correlations that joined them (listed below)`}
      data-testid="campaign-graph"
    />
  );
}
