import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { EventBus } from './bus.ts';
import type { PublishedEvent } from './event.ts';

const stored: PublishedEvent[] = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  event: 'incident.created',
  objectId: `incident--${i + 1}`,
  author: 'PL',
  tlp: 'green',
  audience: [],
  payload: '{}',
  createdAt: '2030-01-01T00:00:00.000Z',
}));

describe('EventBus catch-up from the store', () => {
  it('reads a page at a time and gives the loop a turn between pages (one round per page for the streams)', async () => {
    const reads: Array<[number, number]> = [];
    const bus = new EventBus(
      (after, limit) => {
        reads.push([after, limit]);
        return Promise.resolve(stored.filter((e) => e.id > after).slice(0, limit));
      },
      silentLogger,
      { page: 10 },
    );
    // Events delivered in one synchronous run form one round (the SSE hub flushes on the next tick).
    const rounds: number[][] = [];
    let round: number[] | null = null;
    bus.subscribe((e) => {
      if (round === null) {
        round = [];
        rounds.push(round);
        process.nextTick(() => (round = null));
      }
      round.push(e.id);
    });
    await bus.catchUp();
    expect(reads).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
    ]);
    expect(rounds.map((r) => r.length)).toEqual([10, 10, 5]);
    expect(rounds.flat()).toEqual(stored.map((e) => e.id));
  });
});
