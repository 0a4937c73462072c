import type { ReactNode } from 'react';
import { useLiveStream } from './StreamProvider.tsx';
import type { StreamState } from './stream-client.ts';

export function describeStream(s: StreamState): { label: string; tone: 'ok' | 'warn' | 'bad' | 'idle'; detail: string } {
  switch (s.kind) {
    case 'live':
      return { label: 'Live', tone: 'ok', detail: `connected since ${new Date(s.since).toLocaleTimeString()}` };
    case 'connecting':
      return { label: s.attempt ? 'Reconnecting' : 'Connecting', tone: 'warn', detail: 'opening the live stream' };
    case 'reconnecting':
      return { label: 'Reconnecting', tone: 'warn', detail: `${s.reason}; retry in ${Math.ceil(s.inMs / 1000)} s (missed events are replayed)` };
    case 'unavailable':
      return { label: 'No live feed', tone: 'idle', detail: `${s.reason}; checking again every 30 s` };
    case 'unauthorized':
      return { label: 'Signed out', tone: 'bad', detail: 'the token was rejected' };
    case 'closed':
      return { label: 'Offline', tone: 'idle', detail: 'stream closed' };
  }
}

export function StreamStatus(): ReactNode {
  const { state, reconnectNow } = useLiveStream();
  const d = describeStream(state);
  return (
    <button type="button" className={`stream-pill ${d.tone}`} title={`${d.detail}. Click to reconnect now.`} onClick={reconnectNow} data-testid="stream-state" data-state={state.kind}>
      <span className="dot" aria-hidden="true" />
      {d.label}
      <span className="sr-only">: {d.detail}</span>
    </button>
  );
}
