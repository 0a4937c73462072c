import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import type { FederationOptions } from '../../platform/config.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { SecretBox } from '../../platform/secrets.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { PeerRepository } from './peer.repository.ts';
import { PeerService } from './peer.service.ts';
import { FeedService } from './feed.service.ts';
import { ReceiveService } from './receive.service.ts';
import { PeerPuller } from './puller.service.ts';

export interface Federation {
  peers: PeerService;
  repo: PeerRepository;
  /** The federation collection this node serves to its peers' users. */
  feed: FeedService;
  /** Starts pulling from every peer, and from peers added later (serving processes only). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createFederation(d: {
  database: Database;
  knowledge: KnowledgeService;
  notifier: EventNotifier;
  clock: Clock;
  log: Logger;
  secretKey: string;
  options: FederationOptions;
}): Federation {
  const repo = new PeerRepository(d.database.db, d.database.dialect);
  const peers = new PeerService(repo, new SecretBox(d.secretKey), d.clock);
  let node: Promise<string> | undefined;
  const nodeId = () => (node ??= repo.nodeId(() => randomUUID()));
  const feed = new FeedService(d.database.db, nodeId, d.database.dialect);
  const receive = new ReceiveService(d.knowledge, repo, d.notifier);
  const pullers = new Map<string, PeerPuller>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let reconciling = Promise.resolve();

  // Peers are added and removed by the API (at once) or by the CLI in another process (within a poll interval).
  async function reconcile(): Promise<void> {
    if (stopped) return;
    const wanted = await peers.withTokens();
    const ids = new Set(wanted.map((p) => p.peer.id));
    for (const [id, p] of pullers)
      if (!ids.has(id)) {
        pullers.delete(id);
        await p.stop();
      }
    const self = await nodeId();
    for (const w of wanted) {
      if (pullers.has(w.peer.id) || stopped) continue;
      const p = new PeerPuller(w.peer, { user: w.peer.user, token: w.token, ca: w.peer.ca, nodeId: self }, w.state, {
        repo,
        receive,
        clock: d.clock,
        log: d.log,
        options: d.options,
      });
      pullers.set(w.peer.id, p);
      p.start();
    }
  }
  const schedule = () => {
    reconciling = reconciling
      .then(reconcile)
      .catch((e: unknown) => d.log.error({ err: e }, 'federation: reading the peers failed'));
  };

  return {
    peers,
    repo,
    feed,
    async start() {
      peers.onChange(schedule);
      schedule();
      await reconciling;
      timer = setInterval(schedule, Math.max(1000, d.options.pollMs));
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await reconciling;
      await Promise.all([...pullers.values()].map((p) => p.stop()));
      for (const id of pullers.keys()) await repo.saveState(repo.db, id, { state: 'idle' }).catch(() => undefined);
      pullers.clear();
    },
  };
}
