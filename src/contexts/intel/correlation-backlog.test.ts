import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sqliteMemory } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { silentLogger } from '../../platform/log.ts';
import { noopNotifier } from '../../platform/events/outbox.ts';
import { CorrelationService } from './correlation.service.ts';
import { IntelRepository } from './intel.repository.ts';

/** An id of no stored incident: correlating it reads the store and finds nothing to link. */
const unknown = (i: number) => `incident--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/**
 * A report is answered once it is correlated, so correlation's queue bounds how long a report waits (issue 19):
 * the burst bench's reports waited there for minutes while the write queue, the only one checked, stayed short.
 */
describe('correlation backlog', () => {
  let d: Database;
  let c: CorrelationService;
  let release: () => void;
  let holding: Promise<unknown>;
  beforeEach(async () => {
    d = await sqliteMemory.open();
    c = new CorrelationService(new IntelRepository(d.db), systemClock, noopNotifier, silentLogger);
    // A transaction held open keeps the store's one SQLite connection, so a batch of correlation waits on its
    // first read, as it would behind a long write.
    const held = new Promise<void>((r) => (release = r));
    holding = d.db.transaction().execute(async () => held);
    vi.useFakeTimers({ toFake: ['performance'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    release();
    await holding;
    await d.close();
  });

  it('refuses (seconds to wait) once the oldest incident queued or being correlated waited the bound', async () => {
    expect(c.refusal(2000)).toBeUndefined();
    const done = c.correlate(unknown(1));
    vi.advanceTimersByTime(1500);
    expect(c.refusal(2000)).toBeUndefined();
    // The batch starts (and waits for the store) on the next turn of the loop: still refused, still one waiting.
    await new Promise((r) => setImmediate(r));
    expect(c.backlog).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(c.refusal(2000)).toBe(3);
    release();
    await expect(done).resolves.toEqual({ links: [], announced: 0 });
    expect(c.backlog).toBe(0);
    expect(c.refusal(2000)).toBeUndefined();
  });

  it('refuses at once when the incidents waiting take the bound at the recent pace', async () => {
    // 5 ms per incident until a batch has run: 400 incidents are 2 s of work.
    expect(c.refusal(2000, 400)).toBe(2);
    const queued = Array.from({ length: 399 }, (_, i) => c.correlate(unknown(i)));
    expect(c.refusal(2000)).toBeUndefined();
    // Reports still to be written are correlated before a new one too: 399 waiting and one coming are 2 s.
    expect(c.refusal(2000, 1)).toBe(2);
    queued.push(c.correlate(unknown(399)));
    expect(c.backlog).toBe(400);
    expect(c.refusal(2000)).toBe(2);
    release();
    await Promise.all(queued);
    expect(c.refusal(2000)).toBeUndefined();
  });
});
