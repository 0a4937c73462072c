import type { ReactNode } from 'react';
import { useLiveStream } from './live.ts';
import { describeStream } from './present.ts';

export function StreamStatus(): ReactNode {
  const { state, reconnectNow, unread } = useLiveStream();
  const d = describeStream(state);
  return (
    <button
      type="button"
      className={`stream-pill ${d.tone}`}
      title={`${d.detail}. Click to reconnect now.`}
      onClick={reconnectNow}
      data-testid="stream-state"
      data-state={state.kind}
    >
      <span className="dot" aria-hidden="true" />
      {d.label}
      <span className="sr-only">: {d.detail}</span>
      {unread.size > 0 && (
        <span className="unread-badge" data-testid="unread-count">
          {unread.size}
          <span className="sr-only"> unread in the live feed</span>
        </span>
      )}
    </button>
  );
}
