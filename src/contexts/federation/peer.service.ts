import { randomUUID } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { DomainError, forbidden, notFound, validation } from '../../platform/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { lagOf, normalisePeerUrl, parseAuthors, type Peer } from './peer.ts';
import { mayManagePeers } from './peer.policy.ts';
import type { PeerRepository, StoredPeer } from './peer.repository.ts';
import type { CreatePeerInput, PeerViewT } from './peer.schema.ts';

/** Adding, listing and removing peers (API and CLI), for the node's operators only. */
export class PeerService {
  private readonly addedListeners = new Set<() => void>();

  constructor(
    private readonly repo: PeerRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Called after a peer is added or removed (a running server starts or stops its puller at once). */
  onChange(fn: () => void): void {
    this.addedListeners.add(fn);
  }

  async add(actor: Actor, input: CreatePeerInput): Promise<PeerViewT> {
    assertOperator(actor);
    const name = input.name.trim();
    if (name.length === 0) throw validation('name', 'must not be blank');
    const url = normalisePeerUrl(input.url);
    if (typeof url !== 'string') throw validation(url.property, url.message);
    const authors = input.authors === undefined ? null : parseAuthors(input.authors);
    if (authors !== null && !Array.isArray(authors)) throw validation(authors.property, authors.message);
    const token = input.token.trim();
    if (token.length === 0 || /[\s:]/.test(input.user) || /\s/.test(token))
      throw validation(token.length === 0 || /\s/.test(token) ? 'token' : 'user', 'must not be blank or hold spaces');
    const ca = input.ca?.trim() ? input.ca.trim() : null;
    if (ca !== null) {
      if (!url.startsWith('https:')) throw validation('ca', 'a pinned certificate needs an https url');
      try {
        new X509Certificate(ca);
      } catch {
        throw validation('ca', 'is not a PEM certificate');
      }
    }
    if (await this.repo.byName(name)) throw new DomainError('conflict', `a peer named "${name}" exists`, 'name');
    const peer: Peer = {
      id: randomUUID(),
      name,
      url,
      user: input.user,
      authors,
      ca,
      createdAt: this.clock.now().toISOString(),
    };
    await this.repo.insert(peer, this.box.seal(token, peer.id));
    for (const fn of this.addedListeners) fn();
    return this.present((await this.repo.get(peer.id))!);
  }

  async list(actor: Actor): Promise<PeerViewT[]> {
    assertOperator(actor);
    return (await this.repo.list()).map((p) => this.present(p));
  }

  async remove(actor: Actor, idOrName: string): Promise<void> {
    assertOperator(actor);
    const p = (await this.repo.get(idOrName)) ?? (await this.repo.byName(idOrName));
    if (!p || !(await this.repo.remove(p.peer.id))) throw notFound(`peer ${idOrName.slice(0, 100)}`);
    for (const fn of this.addedListeners) fn();
  }

  /** Every peer with its token opened (the runner's use; never presented). */
  async withTokens(): Promise<Array<StoredPeer & { token: string }>> {
    return (await this.repo.list()).map((p) => ({ ...p, token: this.box.open(p.sealedToken, p.peer.id) }));
  }

  present(p: StoredPeer): PeerViewT {
    const s = p.state;
    return {
      id: p.peer.id,
      name: p.peer.name,
      url: p.peer.url,
      user: p.peer.user,
      authors: p.peer.authors,
      pinned: p.peer.ca !== null,
      state: s.state,
      cursor: s.cursor,
      lagMs: lagOf(s, this.clock.now().getTime()),
      received: s.received,
      refused: s.refused,
      duplicates: s.duplicates,
      errors: s.errors,
      lastError: s.lastError,
      lastErrorAt: s.lastErrorAt,
      lastPullAt: s.lastPullAt,
      createdAt: p.peer.createdAt,
    };
  }
}

function assertOperator(actor: Actor): void {
  if (!mayManagePeers(actor)) throw forbidden("peers are managed by the node's operators (role operator)");
}
