import { useEffect, useLayoutEffect, useRef } from 'react';

/** True when the key went to a text field: shortcuts then stay out of the way. */
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/**
 * Global single-key and "g then key" shortcuts. Keys: map of "k" or "g k" to handlers.
 * Modifier chords (Ctrl/Alt/Meta) are left to the browser.
 */
export function useHotkeys(keys: Record<string, () => void>): void {
  const ref = useRef(keys);
  // the listener, added once, sees the handlers of the latest render
  useLayoutEffect(() => {
    ref.current = keys;
  });
  useEffect(() => {
    let prefix = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const on = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.altKey || e.metaKey || typingIn(e.target)) return;
      const combo = prefix ? `${prefix} ${e.key}` : e.key;
      const handler = ref.current[combo];
      if (prefix) {
        prefix = '';
        clearTimeout(timer);
      } else if (e.key === 'g' && Object.keys(ref.current).some((k) => k.startsWith('g '))) {
        prefix = 'g';
        timer = setTimeout(() => (prefix = ''), 1200);
        e.preventDefault();
        return;
      }
      if (handler) {
        e.preventDefault();
        handler();
      }
    };
    window.addEventListener('keydown', on);
    return () => {
      window.removeEventListener('keydown', on);
      clearTimeout(timer);
    };
  }, []);
}
