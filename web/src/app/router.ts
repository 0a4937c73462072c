import { useEffect, useState } from 'react';

/** Hash routes (#/incidents/incident--…): work behind any static server and need no fallback. */
export interface Route {
  view: 'situation' | 'incidents' | 'report' | 'campaigns' | 'council' | 'admin' | 'peers';
  id: string | undefined;
}

const VIEWS: ReadonlySet<string> = new Set([
  'situation',
  'incidents',
  'report',
  'campaigns',
  'council',
  'admin',
  'peers',
]);

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const view = parts[0] && VIEWS.has(parts[0]) ? (parts[0] as Route['view']) : 'situation';
  const id = parts[1] ? decodeURIComponent(parts[1]) : undefined;
  return { view, id };
}

export function hrefOf(view: Route['view'], id?: string): string {
  return id ? `#/${view}/${encodeURIComponent(id)}` : `#/${view}`;
}

export function navigate(view: Route['view'], id?: string): void {
  window.location.hash = hrefOf(view, id);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
