import { useEffect } from 'react';
import { useLiveStream } from './live.ts';

/** The tab's title counts unread events, so that a background tab shows them. */
export function useUnreadTitle(): void {
  const { unread } = useLiveStream();
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, '');
    document.title = unread.size > 0 ? `(${unread.size}) ${base}` : base;
  }, [unread.size]);
}
