import { useState, type FormEvent, type ReactNode } from 'react';
import { navigate } from '../app/router.ts';

/** The search box in the top bar (`/` focuses it): searches on the server, results on their own page. */
export function GlobalSearch(): ReactNode {
  const [q, setQ] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (q.trim()) navigate('search', q.trim());
  };
  return (
    <form role="search" className="global-search" onSubmit={submit}>
      <input
        data-global-search
        type="search"
        aria-label="Search incidents, observables, narratives and campaigns"
        placeholder="Search (/)"
        maxLength={200}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
    </form>
  );
}
