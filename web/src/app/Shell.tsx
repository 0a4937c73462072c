import { Suspense, useState, type ReactNode } from 'react';
import { isAdmin, useSession } from './context.tsx';
import { hrefOf, HOME, navigate, useRoute } from './router.ts';
import { ROUTES, routeOf, type ConsoleRoute } from './routes.tsx';
import { useHotkeys } from './hotkeys.ts';
import { StreamStatus } from '../stream/StreamStatus.tsx';
import { useUnreadTitle } from '../stream/unread-title.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { GlobalSearch } from '../search/GlobalSearch.tsx';
import { setDateStyle, useDateStyle } from './dates.ts';
import { navSections } from './nav.ts';

export function Shell(): ReactNode {
  const s = useSession();
  const route = useRoute();
  const [help, setHelp] = useState(false);
  // phones: the navigation is a drawer the Menu button opens
  const [menu, setMenu] = useState(false);
  const admin = isAdmin(s);
  const operator = s.me.user.role === 'operator';
  const nav = ROUTES.filter((n) => !n.hidden && (!n.admin || admin) && (!n.operator || operator));
  const current = routeOf(route.view);
  const dateStyle = useDateStyle();
  useUnreadTitle();

  useHotkeys({
    ...Object.fromEntries(
      nav.flatMap((n): Array<[string, () => void]> => (n.key ? [[n.key, () => navigate(n.view)]] : [])),
    ),
    '?': () => setHelp((h) => !h),
    '/': () => document.querySelector<HTMLInputElement>('[data-global-search]')?.focus(),
  });

  const org = s.me.organisation;
  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={hrefOf(HOME)} aria-label="Bulwark: situation">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Bulwark
        </a>
        <button
          type="button"
          className="ghost menu-button"
          aria-expanded={menu}
          aria-controls="main-nav"
          onClick={() => setMenu((m) => !m)}
        >
          <span aria-hidden="true">☰</span> Menu
        </button>
        <span className="current-page" aria-hidden="true">
          {current?.label}
        </span>
        <div className="topbar-right">
          <GlobalSearch />
          <select
            className="date-style"
            aria-label="How dates are written"
            value={dateStyle}
            onChange={(e) => setDateStyle(e.target.value === 'locale' ? 'locale' : 'iso')}
          >
            <option value="iso">ISO dates</option>
            <option value="locale">Local dates</option>
          </select>
          <StreamStatus />
          <div className="identity" data-testid="identity" title={`${s.me.user.name} · ${org.name}`}>
            <span className={`org-badge ${org.kind}`}>{org.code}</span>
            <span className="who">
              <span className="org-name">{org.name}</span>
              <span className="muted">
                {s.me.user.name} · <span data-testid="role">{s.me.user.role}</span> · {org.kind}
              </span>
            </span>
          </div>
          <button type="button" className="ghost" onClick={() => s.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div className={`shell-body${menu ? ' menu-open' : ''}`}>
        <SideNav nav={nav} view={route.view} onPick={() => setMenu(false)} />
        {/* a new date style re-renders every page in it */}
        <main className="content" id="main" tabIndex={-1} key={dateStyle}>
          <Page route={current} id={route.id} admin={admin} operator={operator} />
        </main>
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} nav={nav} />}
    </div>
  );
}

/**
 * The main navigation: a rail of sections (nav.ts), each listing its tabs, so that new tabs fall into
 * place; on phones a drawer opened by the Menu button (Esc or a pick closes it).
 */
function SideNav({ nav, view, onPick }: { nav: ConsoleRoute[]; view: string; onPick: () => void }): ReactNode {
  return (
    <nav
      aria-label="Main"
      id="main-nav"
      className="side-nav"
      onKeyDown={(e) => e.key === 'Escape' && onPick()}
      data-testid="main-nav"
    >
      {navSections(nav).map((g) => (
        <div key={g.id} className="nav-section">
          <p className="nav-section-label" id={`nav-${g.id}`}>
            {g.label}
          </p>
          <ul aria-labelledby={`nav-${g.id}`}>
            {g.routes.map((n) => (
              <li key={n.view}>
                <a
                  href={hrefOf(n.view)}
                  className={view === n.view ? 'active' : undefined}
                  aria-current={view === n.view ? 'page' : undefined}
                  onClick={onPick}
                >
                  {n.label}
                  {n.key && <kbd aria-hidden="true">{n.key.replace('g ', 'g·')}</kbd>}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function Page({
  route,
  id,
  admin,
  operator,
}: {
  route: ConsoleRoute | undefined;
  id: string | undefined;
  admin: boolean;
  operator: boolean;
}) {
  if (!route) return <NotFound />;
  if (route.operator && !operator)
    return (
      <section className="page-message">
        <h1>{route.label}</h1>
        <p className="state state-error">Only the node&apos;s operators manage peers.</p>
      </section>
    );
  if (route.admin && !admin)
    return (
      <section className="page-message">
        <h1>{route.label}</h1>
        <p className="state state-error">Only administrators manage users.</p>
      </section>
    );
  const P = route.page;
  return (
    <>
      {!route.ownHeading && <h1 className="sr-only">{route.label}</h1>}
      <Suspense fallback={<p className="state">Loading {route.label.toLowerCase()}…</p>}>
        <P id={id} />
      </Suspense>
    </>
  );
}

/** An address the console does not know (a mistyped or outdated link). */
export function NotFound({ what }: { what?: string }): ReactNode {
  return (
    <section className="page-message" data-testid="not-found">
      <h1>Page not found</h1>
      <p>{what ?? 'This address names no page of the console. The link may be mistyped or out of date.'}</p>
      <p>
        <a href={hrefOf(HOME)}>Go to the situation map</a> or pick a tab above.
      </p>
    </section>
  );
}

function ShortcutHelp({ onClose, nav }: { onClose: () => void; nav: ConsoleRoute[] }): ReactNode {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <h2>Keyboard shortcuts</h2>
      <table className="kv">
        <tbody>
          {nav
            .filter((n) => n.key)
            .map((n) => (
              <tr key={n.view}>
                <th>
                  <kbd>{n.key}</kbd>
                </th>
                <td>{n.label}</td>
              </tr>
            ))}
          <tr>
            <th>
              <kbd>/</kbd>
            </th>
            <td>Search everything (incidents, observables, narratives, campaigns)</td>
          </tr>
          <tr>
            <th>
              <kbd>j</kbd> <kbd>k</kbd> <kbd>↑</kbd> <kbd>↓</kbd>
            </th>
            <td>Move in a list; Enter opens</td>
          </tr>
          <tr>
            <th>
              <kbd>?</kbd>
            </th>
            <td>This help (Esc closes)</td>
          </tr>
        </tbody>
      </table>
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </Dialog>
  );
}
