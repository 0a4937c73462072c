import { useMemo, useState, type ReactNode } from 'react';
import type { LatLon } from '../api/types.ts';
import { countryNames } from './geo.ts';
import { searchPlaces, type PlaceHit } from './places.ts';

/** Finds a country or city by name and picks it (keyboard: type, arrows, Enter). */
export function PlaceSearch({ onPick }: { onPick: (p: LatLon, name: string) => void }): ReactNode {
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const names = useMemo(() => countryNames(), []);
  const hits = useMemo(() => searchPlaces(q, names), [q, names]);
  const pick = (h: PlaceHit): void => {
    onPick({ lat: h.lat, lon: h.lon }, h.name);
    setQ('');
  };
  return (
    <div className="place-search">
      <input
        type="search"
        role="combobox"
        aria-label="Find a place (country or city)"
        aria-expanded={hits.length > 0}
        aria-controls="place-hits"
        aria-activedescendant={hits.length > 0 ? `place-hit-${active}` : undefined}
        placeholder="Find a place…"
        value={q}
        maxLength={60}
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(hits.length - 1, a + 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
          else if (e.key === 'Enter' && hits[active]) {
            e.preventDefault();
            pick(hits[active]);
          } else return;
          e.preventDefault();
        }}
      />
      {hits.length > 0 && (
        <ul id="place-hits" role="listbox" className="place-hits" aria-label="Places">
          {hits.map((h, i) => (
            <li
              key={`${h.kind}-${h.name}-${h.detail}`}
              id={`place-hit-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
            >
              {h.name} <span className="muted small">{h.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
