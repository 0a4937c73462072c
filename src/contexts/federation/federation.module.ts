import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/log.ts';
import { SecretBox } from '../../platform/secrets.ts';
import { PeerRepository } from './peer.repository.ts';
import { PeerService } from './peer.service.ts';

export interface Federation {
  peers: PeerService;
  repo: PeerRepository;
  /** Starts pulling from every peer (serving processes only). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createFederation(d: { database: Database; clock: Clock; log: Logger; secretKey: string }): Federation {
  const repo = new PeerRepository(d.database.db);
  const peers = new PeerService(repo, new SecretBox(d.secretKey), d.clock);
  return {
    peers,
    repo,
    async start() {},
    async stop() {},
  };
}
