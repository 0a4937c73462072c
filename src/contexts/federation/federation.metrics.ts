import { Gauge, type Registry } from 'prom-client';
import type { PeerService } from './peer.service.ts';

/**
 * Per-peer figures on /metrics (which only operators and the metrics token read): lag, objects by
 * outcome, errors, and whether the peer answered last time. Read from the store at each scrape, so
 * every instance of one store reports the same.
 */
export function registerPeerMetrics(registry: Registry, peers: PeerService): void {
  const all = () => peers.list({ kind: 'system', name: 'metrics' });
  new Gauge({
    name: 'bulwark_federation_peer_lag_ms',
    help: 'How far behind each peer this node is (ms): the last page delay while connected, else the time since it last held everything',
    labelNames: ['peer'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of await all()) if (p.lagMs !== null) this.set({ peer: p.name }, p.lagMs);
    },
  });
  new Gauge({
    name: 'bulwark_federation_peer_objects',
    help: 'Objects pulled from each peer since it was added, by outcome (received, refused, duplicate)',
    labelNames: ['peer', 'outcome'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of await all()) {
        this.set({ peer: p.name, outcome: 'received' }, p.received);
        this.set({ peer: p.name, outcome: 'refused' }, p.refused);
        this.set({ peer: p.name, outcome: 'duplicate' }, p.duplicates);
      }
    },
  });
  new Gauge({
    name: 'bulwark_federation_peer_errors',
    help: 'Failed pulls from each peer since it was added',
    labelNames: ['peer'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of await all()) this.set({ peer: p.name }, p.errors);
    },
  });
  new Gauge({
    name: 'bulwark_federation_peer_connected',
    help: '1 when the last pull from the peer succeeded',
    labelNames: ['peer'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of await all()) this.set({ peer: p.name }, p.state === 'connected' ? 1 : 0);
    },
  });
}
