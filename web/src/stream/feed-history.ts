/**
 * The live feed's recent history, kept across a reload through the stream's own catch-up: the tab keeps
 * only an anchor (the id after which a replay rebuilds the kept events) and, until the feed first fills
 * up, the very first event (nothing before it can be named to replay it from). On a reload the stream
 * resumes after the anchor; what it replays up to the last event this tab had received is history
 * (already seen), what follows was missed while away. The server filters the replay by releasability,
 * so a reload shows only what the reader may read now. Pure apart from the given store.
 */
import type { StreamEvent } from '../api/types.ts';

export interface KeyStore {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}

export const FEED_KEYS = {
  anchor: 'bulwark.feed.anchor',
  head: 'bulwark.feed.head',
  read: 'bulwark.feed.read',
} as const;

export interface FeedEvent extends StreamEvent {
  /** Received before this page was loaded (replayed from the anchor). */
  history?: boolean;
}

export class FeedHistory {
  /** Newest first. */
  events: FeedEvent[] = [];
  private anchor: string | undefined;
  /** The last event id the tab had received before this page; replayed events up to it are history. */
  private replayUntil: string | undefined;

  constructor(
    private readonly store: KeyStore,
    lastEventId: string | undefined,
    private readonly keep = 300,
  ) {
    this.anchor = store.getItem(FEED_KEYS.anchor) ?? lastEventId;
    if (this.anchor !== undefined && this.anchor !== lastEventId) this.replayUntil = lastEventId;
    const head = parse(store.getItem(FEED_KEYS.head));
    if (head) this.events = [{ ...head, history: true }];
    if (this.anchor !== undefined) store.setItem(FEED_KEYS.anchor, this.anchor);
  }

  /** Where the stream resumes: after the anchor (or from now when there is none). */
  get resumeFrom(): string | undefined {
    return this.anchor;
  }

  /** Adds an event as it arrives; answers it as kept (history or new). */
  add(e: StreamEvent): FeedEvent {
    const history = this.replayUntil !== undefined;
    if (history && e.id === this.replayUntil) this.replayUntil = undefined;
    const ev: FeedEvent = history ? { ...e, history } : e;
    if (this.anchor === undefined && e.id) {
      // the first event: nothing names the point before it, so it is kept itself
      this.anchor = e.id;
      this.store.setItem(FEED_KEYS.anchor, e.id);
      this.store.setItem(FEED_KEYS.head, JSON.stringify(e));
    }
    this.events = [ev, ...this.events];
    if (this.events.length > this.keep) {
      const dropped = this.events.slice(this.keep);
      this.events = this.events.slice(0, this.keep);
      const newest = dropped.find((d) => d.id);
      if (newest) {
        this.anchor = newest.id;
        this.store.setItem(FEED_KEYS.anchor, newest.id);
        this.store.removeItem(FEED_KEYS.head);
      }
    }
    return ev;
  }

  /** The newest event read (Mark all read). */
  get readUpTo(): string | undefined {
    return this.store.getItem(FEED_KEYS.read) ?? undefined;
  }

  markAllRead(): void {
    const top = this.events.find((e) => e.id);
    if (top) this.store.setItem(FEED_KEYS.read, top.id);
  }

  /** The events newer than the last one marked read (all of them until one is). */
  unread(): FeedEvent[] {
    return unreadOf(this.events, this.readUpTo);
  }
}

/** The events (newest first) above the one marked read, or all when it is not among them. */
export function unreadOf(events: FeedEvent[], readUpTo: string | undefined): FeedEvent[] {
  const at = readUpTo === undefined ? -1 : events.findIndex((e) => e.id === readUpTo);
  return at >= 0 ? events.slice(0, at) : events;
}

function parse(s: string | null): StreamEvent | undefined {
  if (!s) return undefined;
  try {
    const v = JSON.parse(s) as StreamEvent;
    return typeof v.id === 'string' && typeof v.event === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Sign-out forgets the feed with the session. */
export function forgetFeed(store: KeyStore): void {
  for (const k of Object.values(FEED_KEYS)) store.removeItem(k);
}
