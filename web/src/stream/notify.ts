/**
 * Optional browser notifications for the live feed: off until the user turns them on (which asks the
 * browser's permission), kept per user in this browser, and shown only while the console's tab is not
 * in view (in view, the feed itself highlights what is new).
 */
import { useSyncExternalStore } from 'react';
import type { StreamEvent } from '../api/types.ts';
import { sentenceOf, type IncidentLookup } from './sentences.ts';

const KEY = 'bulwark.notify';
const listeners = new Set<() => void>();

/** The events worth interrupting someone for. */
export function worthNotifying(event: string): boolean {
  return (
    event === 'incident.created' ||
    event === 'correlation.found' ||
    event === 'proposal.created' ||
    event === 'proposal.updated'
  );
}

function supported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function notificationsOn(): boolean {
  try {
    return supported() && localStorage.getItem(KEY) === 'on' && Notification.permission === 'granted';
  } catch {
    return false;
  }
}

/** Turns notifications on (asking the browser) or off; answers whether they are on. */
export async function setNotifications(on: boolean): Promise<boolean> {
  if (!supported()) return false;
  const granted =
    on && (Notification.permission === 'granted' || (await Notification.requestPermission()) === 'granted');
  try {
    if (granted) localStorage.setItem(KEY, 'on');
    else localStorage.removeItem(KEY);
  } catch {
    // private mode: nothing is kept
  }
  for (const l of listeners) l();
  return granted;
}

export function useNotifications(): { on: boolean; supported: boolean; denied: boolean } {
  const on = useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, notificationsOn);
  return { on, supported: supported(), denied: supported() && Notification.permission === 'denied' };
}

/** Shows a notification for a new event when they are on and the tab is out of view. */
export function notifyOf(e: StreamEvent, lookup?: IncidentLookup): void {
  if (!worthNotifying(e.event) || !notificationsOn()) return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  try {
    new Notification('Bulwark', { body: sentenceOf(e, lookup), tag: e.id || undefined });
  } catch {
    // some browsers allow notifications from a service worker only: the feed still shows the event
  }
}
