/** The live stream as the console's components see it (StreamProvider provides it). */
import { createContext, useContext } from 'react';
import type { StreamState } from './stream-client.ts';
import type { FeedEvent } from './feed-history.ts';

export interface LiveStream {
  state: StreamState;
  /** Newest first: the recent history (kept across a reload) and what arrived since. */
  events: FeedEvent[];
  /** The events not yet marked read. */
  unread: ReadonlySet<FeedEvent>;
  markAllRead: () => void;
  /** Events received since the last (re)connection that were a catch-up replay. */
  caughtUp: number;
  reconnectNow: () => void;
}

export const LiveStreamContext = createContext<LiveStream | null>(null);

export function useLiveStream(): LiveStream {
  const v = useContext(LiveStreamContext);
  if (!v) throw new Error('useLiveStream outside StreamProvider');
  return v;
}
