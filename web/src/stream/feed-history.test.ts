import { describe, expect, it } from 'vitest';
import { FEED_KEYS, FeedHistory, forgetFeed, type KeyStore } from './feed-history.ts';

function memory(): KeyStore & { m: Map<string, string> } {
  const m = new Map<string, string>();
  return {
    m,
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}
const ev = (id: string) => ({ id, event: 'incident.created', data: { id }, receivedAt: 1 });

describe('live feed history across a reload', () => {
  it('resumes from before the first event and marks what this tab had seen as history', () => {
    const store = memory();
    const first = new FeedHistory(store, undefined);
    expect(first.resumeFrom).toBeUndefined();
    for (const id of ['a', 'b', 'c']) first.add(ev(id));
    expect(first.unread().map((e) => e.id)).toEqual(['c', 'b', 'a']);
    first.markAllRead();

    // reload: the tab had received up to c; the stream replays after a (b, c), then d arrives
    const again = new FeedHistory(store, 'c');
    expect(again.resumeFrom).toBe('a');
    expect(again.events.map((e) => e.id)).toEqual(['a']);
    for (const id of ['b', 'c', 'd']) again.add(ev(id));
    expect(again.events.map((e) => [e.id, e.history ?? false])).toEqual([
      ['d', false],
      ['c', true],
      ['b', true],
      ['a', true],
    ]);
    expect(again.unread().map((e) => e.id)).toEqual(['d']);
  });

  it('keeps a bounded window and moves the anchor past what it drops', () => {
    const store = memory();
    const h = new FeedHistory(store, undefined, 3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) h.add(ev(id));
    expect(h.events.map((e) => e.id)).toEqual(['e', 'd', 'c']);
    expect(store.m.get(FEED_KEYS.anchor)).toBe('b');
    expect(store.m.has(FEED_KEYS.head)).toBe(false);
    expect(new FeedHistory(store, 'e', 3).events).toEqual([]);
    forgetFeed(store);
    expect(store.m.size).toBe(0);
  });
});
