import type { Logger } from '../../platform/log.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FederationOptions } from '../../platform/config.ts';
import { FEED_COLLECTION_ID, NODE_HEADER } from './feed.ts';
import { backoffMs, streamUrlOf, type Peer } from './peer.ts';
import { followStream, taxiiGet, type PeerAnswer, type PeerEndpoint, type StreamHandle } from './peer.client.ts';
import type { PeerRepository } from './peer.repository.ts';
import type { ReceiveService } from './receive.service.ts';

/** The next page, asked for while the one before it is stored. */
interface Ahead {
  answer: Promise<PeerAnswer>;
}

export interface PullerDeps {
  repo: PeerRepository;
  receive: ReceiveService;
  clock: Clock;
  log: Logger;
  options: FederationOptions;
  random?: () => number;
}

/**
 * Pulls one peer: pages of its federation collection after the durable cursor (the
 * X-TAXII-Date-Added-Last of the last page stored), following `next` while `more`; then waits for a
 * nudge from the peer's live stream or the poll interval. A failure is recorded and retried after an
 * exponential wait with jitter. Each page is stored before the cursor moves past it, and storing is
 * idempotent, so a crash of either side at any point loses nothing and doubles nothing.
 */
export class PeerPuller {
  private stopped = false;
  private wake: (() => void) | undefined;
  private nudged = false;
  private stream: StreamHandle | undefined;
  private streamTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private cursor: string | null;
  private remoteNode: string | null;

  constructor(
    readonly peer: Peer,
    private readonly endpoint: PeerEndpoint,
    state: { cursor: string | null; remoteNode: string | null },
    private readonly d: PullerDeps,
  ) {
    this.cursor = state.cursor;
    this.remoteNode = state.remoteNode;
  }

  start(): void {
    this.running = this.loop();
    this.openStream(0);
  }

  /** Pull at once (something new was announced). */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.streamTimer);
    this.stream?.close();
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    let ahead: Ahead | undefined;
    await this.d.repo.saveState(this.d.repo.db, this.peer.id, { state: 'connecting' });
    while (!this.stopped) {
      this.nudged = false;
      try {
        ahead = await this.pullPage(ahead);
        attempt = 0;
        if (ahead) continue;
      } catch (e) {
        ahead?.answer.catch(() => undefined);
        ahead = undefined;
        const message = e instanceof Error ? e.message : String(e);
        this.d.log.warn({ peer: this.peer.name, err: message }, 'federation: pull failed; retrying');
        const now = this.d.clock.now().toISOString();
        await this.d.repo
          .saveState(
            this.d.repo.db,
            this.peer.id,
            { state: 'retrying', lastError: message.slice(0, 500), lastErrorAt: now },
            { errors: 1 },
          )
          .catch(() => undefined);
        await this.sleep(backoffMs(attempt++, this.d.options.retryBaseMs, this.d.options.retryMaxMs, this.random()));
        continue;
      }
      if (!this.nudged) await this.sleep(this.d.options.pollMs);
    }
    ahead?.answer.catch(() => undefined);
  }

  private fetchPage(addedAfter: string | null, next: string | undefined): Promise<PeerAnswer> {
    const url = new URL(`collections/${FEED_COLLECTION_ID}/objects/`, this.peer.url);
    url.searchParams.set('limit', String(this.d.options.pageSize));
    if (addedAfter) url.searchParams.set('added_after', addedAfter);
    if (next) url.searchParams.set('next', next);
    return taxiiGet(url, this.endpoint);
  }

  /**
   * One page: fetched (or taken from the fetch started while the page before it was stored), stored,
   * then the cursor moves to its last date_added. While `more`, the next page is asked for before this
   * one is stored (the peer reads while this node writes); it is returned for the next call.
   */
  private async pullPage(ahead: Ahead | undefined): Promise<Ahead | undefined> {
    const answer = await (ahead?.answer ?? this.fetchPage(this.cursor, undefined));
    const env = JSON.parse(answer.body) as { more?: unknown; next?: unknown; objects?: unknown };
    const objects = Array.isArray(env.objects) ? (env.objects as unknown[]) : [];
    const last = headerText(answer.headers['x-taxii-date-added-last']);
    const more = env.more === true;
    const next: Ahead | undefined =
      more && last ? { answer: this.fetchPage(last, typeof env.next === 'string' ? env.next : undefined) } : undefined;
    next?.answer.catch(() => undefined); // awaited by the next call; a failure there is handled there
    const node = headerText(answer.headers[NODE_HEADER]) ?? this.remoteNode ?? `peer:${this.peer.id}`;
    const outcome = await this.d.receive.store(this.peer, node, objects);
    if (outcome.refusals.length > 0)
      this.d.log.warn({ peer: this.peer.name, refused: outcome.refusals }, 'federation: objects refused');
    const now = this.d.clock.now();
    if (last) this.cursor = last;
    this.remoteNode = node;
    await this.d.repo.saveState(
      this.d.repo.db,
      this.peer.id,
      {
        state: 'connected',
        remoteNode: node,
        cursor: this.cursor,
        lastPullAt: now.toISOString(),
        ...(objects.length > 0 && last ? { lagMs: Math.max(0, now.getTime() - Date.parse(last)) } : {}),
        ...(!more ? { caughtUpAt: now.toISOString() } : {}),
        ...(outcome.refusals.length > 0
          ? { lastError: `refused: ${outcome.refusals[0]!.slice(0, 400)}`, lastErrorAt: now.toISOString() }
          : {}),
      },
      { received: outcome.received, refused: outcome.refused, duplicates: outcome.duplicates },
    );
    return next;
  }

  /** The peer's live stream: each event nudges a pull; reconnects after a wait when it ends. */
  private openStream(attempt: number): void {
    if (this.stopped) return;
    this.stream = followStream(new URL(streamUrlOf(this.peer.url)), this.endpoint, {
      open: () => {
        attempt = 0;
        this.nudge(); // whatever happened while the stream was down is pulled now
      },
      event: () => this.nudge(),
      close: (err) => {
        if (this.stopped) return;
        if (err) this.d.log.debug({ peer: this.peer.name, err: err.message }, 'federation: live stream closed');
        const wait = backoffMs(attempt, this.d.options.retryBaseMs, this.d.options.retryMaxMs, this.random());
        this.streamTimer = setTimeout(() => this.openStream(attempt + 1), wait);
      },
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private random(): number {
    return (this.d.random ?? Math.random)();
  }
}

function headerText(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.length <= 100 ? s : undefined;
}
