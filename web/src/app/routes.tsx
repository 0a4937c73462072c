import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** What every page receives: the id after its view in the address (`#/incidents/incident--…`). */
export interface PageProps {
  id: string | undefined;
}

export interface ConsoleRoute {
  /** The first part of the address (`#/<view>/<id>`). */
  view: string;
  /** The tab's label in the main navigation. */
  label: string;
  /** Keyboard shortcut (`g x` or a single key); listed in the `?` help. */
  key?: string;
  /** Shown to and opened by administrators only. */
  admin?: boolean;
  /** Shown to and opened by the node's operators only. */
  operator?: boolean;
  /** Reached by links and forms only, not listed in the navigation. */
  hidden?: boolean;
  /** The navigation section (nav.ts NAV_GROUPS id); known views find theirs without it. */
  group?: string;
  /** The page shows its own top-level heading (else the shell gives it one, read by screen readers). */
  ownHeading?: boolean;
  /** Loaded when first opened, so that each page is its own chunk. */
  page: LazyExoticComponent<ComponentType<PageProps>>;
}

/**
 * The console's pages, in navigation order. Adding a tab is one entry here: a view name, a label, an
 * optional shortcut, and `lazy(() => import('../<folder>/<Page>.tsx').then(...))`.
 */
export const ROUTES: ConsoleRoute[] = [
  {
    view: 'situation',
    label: 'Situation',
    key: 'g s',
    page: lazy(() => import('../map/SituationView.tsx').then((m) => ({ default: () => <m.SituationView /> }))),
  },
  {
    view: 'incidents',
    label: 'Incidents',
    key: 'g i',
    page: lazy(() =>
      import('../incidents/IncidentsView.tsx').then((m) => ({
        default: ({ id }: PageProps) => <m.IncidentsView selectedId={id} />,
      })),
    ),
  },
  {
    view: 'report',
    label: 'Report',
    key: 'n',
    page: lazy(() => import('../incidents/ReportView.tsx').then((m) => ({ default: () => <m.ReportView /> }))),
  },
  {
    view: 'campaigns',
    label: 'Campaigns',
    key: 'g p',
    page: lazy(() =>
      import('../incidents/CampaignsView.tsx').then((m) => ({
        default: ({ id }: PageProps) => <m.CampaignsView selectedId={id} />,
      })),
    ),
  },
  {
    view: 'council',
    label: 'Council',
    key: 'g c',
    page: lazy(() =>
      import('../council/CouncilRoom.tsx').then((m) => ({
        default: ({ id }: PageProps) => <m.CouncilRoom selectedId={id} />,
      })),
    ),
  },
  // Tabs added by other parts of the console go here, one entry each.
  // Registers and briefings.
  { view: 'support', label: 'Support', key: 'g u', page: lazy(() => import('../registers/SupportView.tsx')) },
  { view: 'diplomacy', label: 'Diplomacy', key: 'g d', page: lazy(() => import('../registers/DiplomacyView.tsx')) },
  {
    view: 'humanitarian',
    label: 'Humanitarian',
    key: 'g h',
    page: lazy(() => import('../registers/HumanitarianView.tsx')),
  },
  { view: 'briefings', label: 'Briefings', key: 'g b', page: lazy(() => import('../registers/BriefingsView.tsx')) },
  { view: 'outlook', label: 'Outlook', key: 'g o', ownHeading: true, page: lazy(() => import('../outlook/View.tsx')) },
  { view: 'sources', label: 'Sources', page: lazy(() => import('../sources/SourcesView.tsx')) },
  {
    view: 'peers',
    label: 'Peers',
    key: 'g n',
    operator: true,
    page: lazy(() => import('../federation/PeersPanel.tsx').then((m) => ({ default: () => <m.PeersPanel /> }))),
  },
  {
    view: 'search',
    label: 'Search',
    hidden: true,
    ownHeading: true,
    page: lazy(() => import('../search/SearchView.tsx').then((m) => ({ default: m.SearchView }))),
  },
  {
    view: 'pivot',
    label: 'Incidents with a value',
    hidden: true,
    ownHeading: true,
    page: lazy(() => import('../search/PivotView.tsx').then((m) => ({ default: m.PivotView }))),
  },
  {
    view: 'admin',
    label: 'Admin',
    key: 'g a',
    admin: true,
    page: lazy(() => import('../admin/AdminPanel.tsx').then((m) => ({ default: () => <m.AdminPanel /> }))),
  },
];

export function routeOf(view: string): ConsoleRoute | undefined {
  return ROUTES.find((r) => r.view === view);
}
