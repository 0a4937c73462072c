/**
 * Shared body of the bench child processes that hold SSE subscribers in their own event loop:
 * `start` opens one stream per token and answers `ready`, `stop` closes them and exits; every
 * other message goes to `onMessage`.
 */
import { openStream, type SseClient, type SseEvent } from '../test/sse-client.ts';

export interface ChildMessage {
  type: string;
  base?: string;
  tokens?: string[];
  phase?: string;
}

/** Wall-clock time in ms with sub-ms resolution, comparable across processes. */
export const now = (): number => performance.timeOrigin + performance.now();

export function runSubscriberChild(onEvent: (e: SseEvent) => void, onMessage: (m: ChildMessage) => void): void {
  const clients: SseClient[] = [];
  process.on('message', (m: ChildMessage) => {
    void (async () => {
      if (m.type === 'start') {
        for (const token of m.tokens!) clients.push(await openStream(m.base!, token, { onEvent }));
        process.send!({ type: 'ready' });
      } else if (m.type === 'stop') {
        for (const c of clients) c.close();
        process.exit(0);
      } else onMessage(m);
    })();
  });
}
