/**
 * How the console writes dates and times: ISO 8601 with a 24-hour clock by default
 * ("2026-12-03 14:58"), or the browser's own conventions, as each user chooses (kept per user in this
 * browser). Times are the viewer's local time.
 */
import { useSyncExternalStore } from 'react';

export type DateStyle = 'iso' | 'locale';

const KEY = 'bulwark.dateStyle';
let style: DateStyle = read();
const listeners = new Set<() => void>();

function read(): DateStyle {
  try {
    return localStorage.getItem(KEY) === 'locale' ? 'locale' : 'iso';
  } catch {
    return 'iso';
  }
}

export function setDateStyle(s: DateStyle): void {
  style = s;
  try {
    localStorage.setItem(KEY, s);
  } catch {
    // private mode: the choice lasts for this page only
  }
  for (const l of listeners) l();
}

export function useDateStyle(): DateStyle {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => style,
  );
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A date and time in the chosen style; `what` leaves out the time or the date. Pure given `s`. */
export function formatWhen(
  t: string | number | Date,
  s: DateStyle = style,
  what: 'datetime' | 'date' | 'time' = 'datetime',
): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '—';
  if (s === 'locale')
    return what === 'date' ? d.toLocaleDateString() : what === 'time' ? d.toLocaleTimeString() : d.toLocaleString();
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return what === 'date' ? date : what === 'time' ? `${time}:${pad(d.getSeconds())}` : `${date} ${time}`;
}
