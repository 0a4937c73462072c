/** The live stream as the console's components see it (StreamProvider provides it). */
import { createContext, useContext } from 'react';
import type { StreamEvent } from '../api/types.ts';
import type { StreamState } from './stream-client.ts';

export interface LiveStream {
  state: StreamState;
  events: StreamEvent[];
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
