/**
 * The main navigation's sections. Every route of ROUTES falls into one: its own `group`, else the section
 * its view is known to belong to, else "More". A tab added by one line in routes.tsx thus appears in the
 * navigation without touching the shell. Pure.
 */

/** What sorting needs of a route (routes.tsx ConsoleRoute). */
export interface NavRoute {
  view: string;
  group?: string | undefined;
}

export interface NavGroup {
  id: string;
  label: string;
}

export const NAV_GROUPS: readonly NavGroup[] = [
  { id: 'intel', label: 'Intelligence' },
  { id: 'decisions', label: 'Decisions' },
  { id: 'outlook', label: 'Outlook & sources' },
  { id: 'registers', label: 'Registers' },
  { id: 'admin', label: 'Admin' },
  { id: 'more', label: 'More' },
];

/** Where the views the console knows of belong, for routes that name no group themselves. */
const GROUP_OF_VIEW: Readonly<Record<string, string>> = {
  situation: 'intel',
  incidents: 'intel',
  report: 'intel',
  campaigns: 'intel',
  search: 'intel',
  council: 'decisions',
  responses: 'decisions',
  outlook: 'outlook',
  scenarios: 'outlook',
  questions: 'outlook',
  sources: 'outlook',
  documents: 'outlook',
  support: 'registers',
  diplomacy: 'registers',
  humanitarian: 'registers',
  briefings: 'registers',
  peers: 'admin',
  federation: 'admin',
  admin: 'admin',
};

export function groupOf(r: NavRoute): string {
  const g = r.group ?? GROUP_OF_VIEW[r.view] ?? 'more';
  return NAV_GROUPS.some((n) => n.id === g) ? g : 'more';
}

/** The navigation's sections in order, each with its routes in ROUTES order; empty sections left out. */
export function navSections<R extends NavRoute>(routes: readonly R[]): Array<NavGroup & { routes: R[] }> {
  return NAV_GROUPS.map((g) => ({ ...g, routes: routes.filter((r) => groupOf(r) === g.id) })).filter(
    (g) => g.routes.length > 0,
  );
}
