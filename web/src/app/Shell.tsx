import { lazy, Suspense, useState, type ReactNode } from 'react';
import { isAdmin, useSession } from './context.tsx';
import { hrefOf, navigate, useRoute, type Route } from './router.ts';
import { useHotkeys } from './hotkeys.ts';
import { StreamStatus } from '../stream/StreamStatus.tsx';
import { SituationView } from '../map/SituationView.tsx';
import { IncidentsView } from '../incidents/IncidentsView.tsx';
import { ReportView } from '../incidents/ReportView.tsx';
import { CampaignsView } from '../incidents/CampaignsView.tsx';
import { CouncilRoom } from '../council/CouncilRoom.tsx';
import { AdminPanel } from '../admin/AdminPanel.tsx';
import { PeersPanel } from '../federation/PeersPanel.tsx';

// Registers and briefings load on first visit, so the main bundle does not grow.
const SupportView = lazy(() => import('../registers/SupportView.tsx'));
const DiplomacyView = lazy(() => import('../registers/DiplomacyView.tsx'));
const HumanitarianView = lazy(() => import('../registers/HumanitarianView.tsx'));
const BriefingsView = lazy(() => import('../registers/BriefingsView.tsx'));

const NAV: Array<{ view: Route['view']; label: string; key: string; admin?: boolean }> = [
  { view: 'situation', label: 'Situation', key: 'g s' },
  { view: 'incidents', label: 'Incidents', key: 'g i' },
  { view: 'report', label: 'Report', key: 'n' },
  { view: 'campaigns', label: 'Campaigns', key: 'g p' },
  { view: 'council', label: 'Council', key: 'g c' },
  { view: 'admin', label: 'Admin', key: 'g a', admin: true },
  { view: 'peers', label: 'Peers', key: 'g n', operator: true },
  { view: 'support', label: 'Support', key: 'g u' },
  { view: 'diplomacy', label: 'Diplomacy', key: 'g d' },
  { view: 'humanitarian', label: 'Humanitarian', key: 'g h' },
  { view: 'briefings', label: 'Briefings', key: 'g b' },
];

export function Shell(): ReactNode {
  const s = useSession();
  const route = useRoute();
  const [help, setHelp] = useState(false);
  const admin = isAdmin(s);
  const nav = NAV.filter((n) => !n.admin || admin);

  useHotkeys({
    ...Object.fromEntries(nav.map((n) => [n.key, () => navigate(n.view)])),
    '?': () => setHelp((h) => !h),
    Escape: () => setHelp(false),
    '/': () => document.querySelector<HTMLInputElement>('[data-search]')?.focus(),
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
        <a className="brand" href={hrefOf('situation')} aria-label="Bulwark: situation">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Bulwark
        </a>
        <nav aria-label="Main">
          {nav.map((n) => (
            <a
              key={n.view}
              href={hrefOf(n.view)}
              className={route.view === n.view ? 'active' : undefined}
              aria-current={route.view === n.view ? 'page' : undefined}
            >
              {n.label}
              <kbd aria-hidden="true">{n.key.replace('g ', 'g·')}</kbd>
            </a>
          ))}
        </nav>
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
      <main className="content" id="main">
        {route.view === 'situation' && <SituationView />}
        {route.view === 'incidents' && <IncidentsView selectedId={route.id} />}
        {route.view === 'report' && <ReportView />}
        {route.view === 'campaigns' && <CampaignsView selectedId={route.id} />}
        {route.view === 'council' && <CouncilRoom selectedId={route.id} />}
        {route.view === 'admin' &&
          (admin ? <AdminPanel /> : <p className="state state-error">Only administrators manage users.</p>)}
        {route.view === 'peers' &&
          (operator ? <PeersPanel /> : <p className="state state-error">Only the node's operators manage peers.</p>)}
        <Suspense fallback={<p className="state">Loading…</p>}>
          {route.view === 'support' && <SupportView />}
          {route.view === 'diplomacy' && <DiplomacyView />}
          {route.view === 'humanitarian' && <HumanitarianView />}
          {route.view === 'briefings' && <BriefingsView />}
        </Suspense>
      </main>
      {help && <ShortcutHelp onClose={() => setHelp(false)} nav={nav} />}
    </div>
  );
}

function ShortcutHelp({ onClose, nav }: { onClose: () => void; nav: typeof NAV }): ReactNode {
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Keyboard shortcuts</h2>
        <table className="kv">
          <tbody>
            {nav.map((n) => (
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
              <td>Search / filter the current list</td>
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
      </div>
    </div>
  );
}
