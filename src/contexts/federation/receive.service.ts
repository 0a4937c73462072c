import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { EventNotifier } from '../../platform/events/outbox.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { jsonText, type IngestReport } from '../knowledge/knowledge.ts';
import { inbound, narrowedCopy, type Received } from './feed.ts';
import type { Peer } from './peer.ts';
import type { PeerRepository } from './peer.repository.ts';

const FEDERATION = systemActor('federation');

/** What storing one page came to. */
export interface ReceiveOutcome {
  received: number;
  refused: number;
  duplicates: number;
  /** The first reasons objects were refused (for the peer's last error and the log). */
  refusals: string[];
}

/**
 * Stores the objects of one page from a peer (feed.ts says what each must carry). Writes are
 * idempotent by id, author and version: a version this node holds already, whatever it came from,
 * is a duplicate and is not written again, so a page pulled twice (after a crash of either side)
 * changes nothing. Each group of objects (one author and audience) is written with the record of what
 * came from which node, in one transaction. Received versions are announced as local writes of the same
 * kind are (incidents by intel's views); a peer of this node learns of the others by polling. A
 * deletion removes the named version of its author (see remove).
 */
export class ReceiveService {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly peers: PeerRepository,
    private readonly notifier: EventNotifier,
  ) {}

  async store(peer: Pick<Peer, 'authors'>, node: string, objects: readonly unknown[]): Promise<ReceiveOutcome> {
    const out: ReceiveOutcome = { received: 0, refused: 0, duplicates: 0, refusals: [] };
    const refuse = (reason: string) => {
      out.refused++;
      if (out.refusals.length < 5) out.refusals.push(reason);
    };
    const items: Received[] = [];
    const deletions: Received[] = [];
    for (const v of objects) {
      const i = inbound(v, peer);
      if (i.kind === 'refused') refuse(`${i.id ?? '(no id)'}: ${i.reason}`);
      else (i.kind === 'deleted' ? deletions : items).push(i);
    }
    const ids = [...new Set(items.map((i) => i.obj.id))];
    const held = ids.length === 0 ? [] : await this.knowledge.repo.existing(this.knowledge.repo.db, ids);
    // A version deleted here by its author (or by a deletion received) never comes back through another node.
    const have = new Set([
      ...held.map((h) => `${h.id}|${h.author}|${h.version}`),
      ...(await this.peers.deletedKeys(ids)),
    ]);
    const groups = new Map<string, Array<{ item: Received; value: Record<string, unknown> }>>();
    for (const item of items) {
      const key = `${item.obj.id}|${item.author}|${item.version}`;
      if (have.has(key)) {
        out.duplicates++;
        continue;
      }
      have.add(key);
      let value: Record<string, unknown> = item.obj;
      if (item.kind === 'notice') {
        // Only a copy held here can be narrowed; a notice about anything else is of no use to this node.
        const mine = held.find((h) => h.id === item.obj.id && h.author === item.author && h.is_latest === 1);
        if (!mine) continue;
        value = narrowedCopy(JSON.parse(jsonText(mine.json)) as Record<string, unknown>, item);
      }
      const g = `${item.author}|${item.audience.join(',')}|${item.kind}`;
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push({ item, value });
    }
    for (const list of groups.values()) {
      const first = list[0]!.item;
      const report = await this.knowledge.ingest(
        FEDERATION,
        list.map((l, index) => ({ index, value: l.value })),
        {
          asOrg: first.author,
          defaultTlp: first.tlp,
          audience: first.audience,
          within: (trx, r) => this.record(trx, node, list, r),
        },
      );
      out.received += report.accepted.length;
      out.duplicates += report.duplicates.length;
      for (const r of report.rejected) refuse(r.message);
    }
    await this.remove(node, deletions, out);
    if (out.received > 0) this.notifier.nudge();
    return out;
  }

  /**
   * Deletions, per author: the named versions of that author are deleted here (no other author's,
   * whatever the deletion claims), and recorded as deletions from `node` so that they travel on. Copies
   * rebuilt here from a narrowing notice go too once no version they narrowed remains.
   */
  private async remove(node: string, deletions: readonly Received[], out: ReceiveOutcome): Promise<void> {
    const byAuthor = new Map<string, Set<string>>();
    for (const d of deletions) {
      let keys = byAuthor.get(d.author);
      if (!keys) byAuthor.set(d.author, (keys = new Set()));
      keys.add(`${d.obj.id}|${d.version}`);
    }
    for (const [author, keys] of byAuthor) {
      const ids = [...new Set([...keys].map((k) => k.slice(0, k.lastIndexOf('|'))))];
      const gone = await this.knowledge.removeReceived(author, ids, node, async (trx, held) => {
        const mine = held.filter((h) => h.author === author);
        const named = mine.filter((h) => keys.has(`${h.id}|${h.version}`));
        const rebuilt = await this.peers.noticeKeys(trx, author, ids);
        const left = mine.filter((h) => !named.includes(h));
        const orphans = left.filter(
          (h) =>
            rebuilt.has(`${h.id}|${h.version}`) &&
            !left.some((o) => o.id === h.id && !rebuilt.has(`${o.id}|${o.version}`)),
        );
        return [...named, ...orphans];
      });
      const deleted = new Set(gone.map((g) => `${g.id}|${g.version}`));
      const hit = [...keys].filter((k) => deleted.has(k)).length;
      out.received += hit;
      out.duplicates += keys.size - hit;
    }
  }

  private async record(
    trx: Transaction<Schema>,
    node: string,
    list: ReadonlyArray<{ item: Received }>,
    r: IngestReport,
  ): Promise<void> {
    const accepted = r.accepted.map((a) => list[a.index]!.item);
    if (accepted.length === 0) return;
    const rows = accepted.map((i) => ({ id: i.obj.id, author: i.author, version: i.version }));
    // Versions rebuilt from a notice are recorded one by one (rare; deletions look them up); the rest as a range.
    if (list[0]!.item.kind === 'notice') await this.peers.recordReceived(trx, node, rows, true);
    else await this.peers.recordRange(trx, node, rows[0]!, rows.at(-1)!);
  }
}
