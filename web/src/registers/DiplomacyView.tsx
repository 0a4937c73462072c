import type { ReactNode } from 'react';
import { timeline } from '../../../src/contexts/briefings/figures.ts';
import { describeError } from '../api/client.ts';
import { useDiplomacy } from './api.ts';

/** The diplomatic track as a timeline, with the record's sources. */
export default function DiplomacyView(): ReactNode {
  const q = useDiplomacy();
  if (q.isPending) return <p className="state">Loading…</p>;
  if (q.error) return <p className="state state-error">{describeError(q.error)}</p>;
  const events = q.data.items;
  return (
    <section aria-label="Diplomatic track" data-testid="diplomacy-view">
      <h1>Diplomatic track</h1>
      <div dangerouslySetInnerHTML={{ __html: timeline('Diplomatic record', events, new Date().toISOString(), 60) }} />
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <strong>{e.startedAt.slice(0, 10)}</strong>
            {e.endedAt ? ` – ${e.endedAt.slice(0, 10)}` : ''} · {e.title} · <em>{e.kind}</em> · {e.status} ·{' '}
            {e.parties.join(', ')}{' '}
            {e.sources.map((s) => (
              <a key={s} href={s} target="_blank" rel="noreferrer noopener">
                source
              </a>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}
