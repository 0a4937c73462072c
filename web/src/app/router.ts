import { useEffect, useState } from 'react';

/**
 * Hash routes (#/incidents/incident--…): work behind any static server and need no fallback. The views
 * themselves are listed in routes.tsx; an address naming none shows the not-found page.
 */
export interface Route {
  view: string;
  id: string | undefined;
}

export const HOME = 'situation';

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const view = parts[0] ? decodeURIComponent(parts[0]) : HOME;
  const id = parts[1] ? decodeURIComponent(parts[1]) : undefined;
  return { view, id };
}

export function hrefOf(view: string, id?: string): string {
  return id ? `#/${view}/${encodeURIComponent(id)}` : `#/${view}`;
}

export function navigate(view: string, id?: string): void {
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
