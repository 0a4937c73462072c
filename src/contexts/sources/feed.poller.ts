import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { DocumentService } from './document.service.ts';
import { parseFeedItems, type FeedItem } from './feed.ts';
import { fetchText, type FetchOptions } from './fetch.service.ts';
import { decodeAudience } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import type { SourcesDb, SourcesTables } from './sources.tables.ts';

type SourceRow = SourcesTables['sources_sources'];
/** Feeds polled per wake-up; the rest wait for the next one (a second later). */
const BATCH = 5;
const IDLE_MS = 60_000;

/**
 * Polls feed sources on a durable schedule: each source's `next_poll_at` is in the store, moved forward before
 * the poll starts (so a restart resumes where it was and a crash mid-poll does not poll in a loop). Each item is
 * taken once: its key (GUID, id or link) is recorded per source, and an item whose text nearly repeats one the
 * source already brought is recorded as taken without a new document. A failing feed records its error on the
 * source; the others go on.
 */
export class FeedPoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly db: Kysely<SourcesDb>,
    private readonly docs: DocumentService,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly fetch: FetchOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Schedules a run in `ms` (sooner than the one planned, if any). */
  wake(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.runDue()
        .catch((err: unknown) => this.log.error({ err }, 'feed polling failed'))
        .then(async () => this.wake(await this.msToNext()));
    }, ms);
    this.timer.unref();
  }

  /** Polls every due feed once; answers how many were polled. */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .selectFrom('sources_sources')
      .selectAll()
      .where('kind', '=', 'feed')
      .where('next_poll_at', '<=', now.toISOString())
      .orderBy('next_poll_at')
      .limit(BATCH)
      .execute();
    for (const s of due) {
      const next = new Date(now.getTime() + (s.poll_seconds ?? 900) * 1000).toISOString();
      await this.db.updateTable('sources_sources').set({ next_poll_at: next }).where('id', '=', s.id).execute();
      let error: string | null = null;
      try {
        await this.poll(s);
      } catch (e) {
        error = (e as Error).message.slice(0, 500);
        this.log.warn({ source: s.id, err: error }, 'feed poll failed');
      }
      await this.db
        .updateTable('sources_sources')
        .set({ last_polled_at: this.clock.now().toISOString(), last_error: error })
        .where('id', '=', s.id)
        .execute();
    }
    return due.length;
  }

  /** Fetches and takes in one feed's new items; errors of single items are collected into one message. */
  async poll(s: SourceRow): Promise<void> {
    if (!s.url) throw new Error('url: the feed has no address');
    const fetched = await fetchText(s.url, this.fetch);
    const items = parseFeedItems(fetched.text);
    const failures: string[] = [];
    for (const item of items) {
      const taken = await this.db
        .insertInto('sources_feed_items')
        .values({ source_id: s.id, item_key: item.key, doc_id: null, taken_at: this.clock.now().toISOString() })
        .onConflict((c) => c.columns(['source_id', 'item_key']).doNothing())
        .executeTakeFirst();
      if (Number(taken.numInsertedOrUpdatedRows ?? 0) === 0) continue;
      try {
        const docId = await this.takeIn(s, item);
        if (docId)
          await this.db
            .updateTable('sources_feed_items')
            .set({ doc_id: docId })
            .where('source_id', '=', s.id)
            .where('item_key', '=', item.key)
            .execute();
      } catch (e) {
        failures.push(`item ${item.key.slice(0, 80)}: ${(e as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(failures.slice(0, 3).join('; '));
  }

  private async takeIn(s: SourceRow, item: FeedItem): Promise<string | undefined> {
    const body =
      item.html !== undefined ? { html: item.html } : item.text !== undefined ? { text: item.text } : undefined;
    if (!body) return undefined;
    const audience = decodeAudience(s.audience);
    const input = {
      source: s.id,
      ...(item.title ? { title: item.title } : {}),
      ...(item.url ? { url: item.url } : {}),
      ...(item.publishedAt ? { publishedAt: item.publishedAt } : {}),
      ...body,
      tlp: s.tlp as Tlp,
      ...(audience.length > 0 ? { audience } : {}),
    };
    const probe = item.text ?? item.html ?? '';
    const dup = await this.docs.nearDuplicate(s.id, probe.replace(/<[^>]{0,500}>/g, ' '));
    if (dup) return dup;
    return this.docs.store({ org: s.author, by: 'system:feeds' }, input);
  }

  private async msToNext(): Promise<number> {
    const r = await this.db
      .selectFrom('sources_sources')
      .select('next_poll_at')
      .where('kind', '=', 'feed')
      .where('next_poll_at', 'is not', null)
      .orderBy('next_poll_at')
      .limit(1)
      .executeTakeFirst();
    if (!r?.next_poll_at) return IDLE_MS;
    return Math.min(IDLE_MS, Math.max(1000, Date.parse(r.next_poll_at) - this.clock.now().getTime()));
  }
}
