import { useEffect, useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { withQuery } from '../api/client.ts';
import { ErrorState } from '../ui/states.tsx';
import { ttpLabel, type Ttp } from './ttp.ts';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Search-as-you-type over the server's catalogue; chosen TTPs are kept as STIX ids. */
export function TtpPicker({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }): ReactNode {
  const { api } = useSession();
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Map<string, Ttp>>(new Map());
  const q = useDebounced(query.trim(), 200);
  const hits = useQuery({
    queryKey: ['ttps', q],
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 300_000,
    queryFn: ({ signal }) => api.get<{ items: Ttp[] }>(withQuery('/api/v1/ttps', { q, limit: 30 }), signal),
  });
  const shown = q ? (hits.data?.items ?? []).filter((t) => !value.includes(t.id)) : [];
  const add = (t: Ttp): void => {
    setChosen(new Map(chosen).set(t.id, t));
    onChange([...value, t.id]);
    setQuery('');
  };
  return (
    <div className="ttp-picker">
      <div className="chips" role="group" aria-label="Selected TTPs">
        {value.map((id) => {
          const t = chosen.get(id);
          return (
            <span key={id} className="chip">
              {t ? ttpLabel(t) : id}
              <button
                type="button"
                aria-label={`Remove ${t?.name ?? id}`}
                onClick={() => onChange(value.filter((v) => v !== id))}
              >
                ×
              </button>
            </span>
          );
        })}
      </div>
      <input
        id="ttp-search"
        type="search"
        placeholder='Search DISARM / ATT&CK techniques (e.g. T0049, "amplify")'
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (shown[0]) add(shown[0]);
          }
        }}
        aria-label="Search TTPs"
        autoComplete="off"
      />
      {hits.isError && <ErrorState error={hits.error} what="TTP catalogue" />}
      {q && hits.isSuccess && shown.length === 0 && (
        <p className="hint">
          No technique matches “{q}”. Import DISARM or ATT&CK bundles with the CLI to fill the catalogue.
        </p>
      )}
      {shown.length > 0 && (
        <ul className="ttp-hits" aria-label="Matching TTPs">
          {shown.map((t) => (
            <li key={t.id}>
              <button type="button" onClick={() => add(t)}>
                <code>{t.externalId ?? '—'}</code> {t.name} <span className="muted small">{t.source ?? ''}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
