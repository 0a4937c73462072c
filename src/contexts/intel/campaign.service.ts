import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError, forbidden, notFound, validation } from '../../platform/errors.ts';
import { appendToOutbox, type EventNotifier } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { canRead, decodeAudience, encodeAudience } from '../../kernel/access/releasability.ts';
import { TLP2_MARKING_IDS, type Tlp } from '../../kernel/access/tlp.ts';
import { toReleasable, type KnowledgeService } from '../knowledge/knowledge.service.ts';
import { linkReleasability } from './correlation.ts';
import { ChildIds } from './child-ids.repository.ts';
import { withdrawStaleLinks, type LinkCheck } from './link-withdrawal.service.ts';
import { nextModified, stixTime } from './incident.ts';
import type { IncidentRow, IntelRepository } from './intel.repository.ts';
import type { CampaignRepository, CampaignRow } from './campaign.repository.ts';
import type { SuggestedCampaign } from './picture.service.ts';
import { presentCampaign } from './picture.service.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import type { CampaignView } from './campaign.schema.ts';

export interface ConfirmInput {
  name: string;
  description?: string | undefined;
  incidents: string[];
  confidence?: number | undefined;
  tlp: Tlp;
  audience?: string[] | undefined;
}

export type { CampaignView };

/**
 * Confirmed campaigns: a STIX `campaign` plus `related-to` relationships (with confidence) to its
 * incidents. Each relationship is released only to organisations that may read both the campaign
 * and the incident. Readers see a campaign only through incidents they may read.
 */
export class CampaignService {
  constructor(
    private readonly d: {
      campaigns: CampaignRepository;
      intel: IntelRepository;
      knowledge: KnowledgeService;
      clock: Clock;
      notifier: EventNotifier;
    },
  ) {}

  async confirm(actor: UserActor, input: ConfirmInput): Promise<CampaignView> {
    await assertAudience(this.d.knowledge.repo.db, input.audience);
    const now = stixTime(this.d.clock.now());
    const row: CampaignRow = {
      id: `campaign--${randomUUID()}`,
      name: input.name,
      author: actor.org,
      tlp: input.tlp,
      audience: encodeAudience(input.audience ?? []),
      status: 'confirmed',
      merged_into: null,
      confidence: input.confidence ?? 70,
      created_at: now,
      modified: now,
    };
    const incidents = await this.readableAll(actor, input.incidents, 'incidents');
    await this.write(actor, row, incidents, [], input.description ?? '');
    return this.get(actor, row.id);
  }

  async rename(
    actor: UserActor,
    id: string,
    patch: { name?: string | undefined; description?: string | undefined; confidence?: number | undefined },
  ): Promise<CampaignView> {
    const c = await this.own(actor, id);
    const row = {
      ...c.row,
      name: patch.name ?? c.row.name,
      confidence: patch.confidence ?? c.row.confidence,
      modified: this.next(c.row.modified),
    };
    await this.write(actor, row, c.incidents, [], patch.description ?? (await this.description(actor, id)));
    return this.get(actor, id);
  }

  /** Adds incidents the actor may read to a campaign its organisation confirmed (the incident page's "add to campaign"). */
  async addIncidents(actor: UserActor, id: string, add: string[]): Promise<CampaignView> {
    const c = await this.own(actor, id);
    const added = await this.readableAll(actor, add, 'incidents');
    const all = [...new Set([...c.incidents, ...added])];
    if (all.length === c.incidents.length) return this.get(actor, id);
    const row = { ...c.row, modified: this.next(c.row.modified) };
    await this.write(actor, row, all, [], await this.description(actor, id));
    return this.get(actor, id);
  }

  /** Moves the incidents of `from` campaigns into `id`; the others are revoked as merged. */
  async merge(actor: UserActor, id: string, from: string[]): Promise<CampaignView> {
    const target = await this.own(actor, id);
    const sources: Array<{ row: CampaignRow; incidents: string[] }> = [];
    for (const f of from) if (f !== id) sources.push(await this.own(actor, f));
    const all = [...new Set([...target.incidents, ...sources.flatMap((s) => s.incidents)])];
    const modified = this.next(target.row.modified);
    const description = await this.description(actor, id);
    await this.d.intel.db.transaction().execute(async (trx) => {
      await this.write(actor, { ...target.row, modified }, all, [], description, trx);
      for (const s of sources)
        await this.write(
          actor,
          { ...s.row, status: 'merged', merged_into: id, modified: this.next(s.row.modified) },
          s.incidents,
          [],
          '',
          trx,
          true,
        );
    });
    this.d.notifier.nudge();
    return this.get(actor, id);
  }

  /** Moves some incidents out of `id` into a new confirmed campaign. */
  async split(
    actor: UserActor,
    id: string,
    input: { incidents: string[]; name: string },
  ): Promise<{ from: CampaignView; created: CampaignView }> {
    const c = await this.own(actor, id);
    // Incidents the actor may no longer read answer like strangers: a split never confirms they are members.
    const readable = new Set((await this.d.intel.readableIncidents(readerOf(actor), c.incidents)).map((r) => r.id));
    const out = new Set(input.incidents);
    input.incidents.forEach((i, k) => {
      if (!readable.has(i)) throw validation(`incidents[${k}]`, `${i} is not part of campaign ${id}`);
    });
    const stay = c.incidents.filter((i) => !out.has(i));
    if (!stay.some((i) => readable.has(i)))
      throw validation('incidents', 'a split must leave at least one incident in the campaign');
    const now = stixTime(this.d.clock.now());
    const created: CampaignRow = {
      ...c.row,
      id: `campaign--${randomUUID()}`,
      name: input.name,
      created_at: now,
      modified: now,
    };
    const description = await this.description(actor, id);
    await this.d.intel.db.transaction().execute(async (trx) => {
      await this.write(actor, { ...c.row, modified: this.next(c.row.modified) }, stay, [...out], description, trx);
      await this.write(actor, created, [...out], [], '', trx);
    });
    this.d.notifier.nudge();
    return { from: await this.get(actor, id), created: await this.get(actor, created.id) };
  }

  async get(actor: Actor, id: string): Promise<CampaignView> {
    const c = await this.d.campaigns.load(this.d.campaigns.db, id);
    const reader = readerOf(actor);
    if (!c || c.row.status !== 'confirmed' || !canRead(reader, toReleasable(c.row))) throw notFound(`campaign ${id}`);
    const rows = await this.d.intel.readableIncidents(reader, c.incidents);
    if (rows.length === 0) throw notFound(`campaign ${id}`);
    return this.view(c.row, rows, await this.description(actor, id));
  }

  async list(actor: Actor, limit: number): Promise<CampaignView[]> {
    const reader = readerOf(actor);
    const found = await this.d.campaigns.listReadable(reader, limit);
    const rows = new Map(
      (
        await this.d.intel.readableIncidents(
          reader,
          found.flatMap((f) => f.incidents),
        )
      ).map((r) => [r.id, r]),
    );
    return found.map((f) => this.view(f.row, f.incidents.map((i) => rows.get(i)!).filter(Boolean), ''));
  }

  /** Confirmed campaigns, then suggestions that no visible confirmed campaign already covers. */
  async overview(
    actor: Actor,
    limit: number,
    suggested: SuggestedCampaign[],
  ): Promise<Array<CampaignView | SuggestedCampaign>> {
    const confirmed = await this.list(actor, limit);
    const covered = confirmed.map((c) => new Set(c.incidents));
    const open = suggested.filter((s) => !covered.some((c) => s.incidents.every((i) => c.has(i))));
    return [...confirmed, ...open].slice(0, limit);
  }

  private view(row: CampaignRow, incidents: IncidentRow[], description: string): CampaignView {
    const base = presentCampaign(incidents, 0, 0);
    return {
      ...base,
      id: row.id,
      name: row.name,
      status: 'confirmed',
      author: row.author,
      confidence: row.confidence,
      tlp: row.tlp,
      audience: decodeAudience(row.audience),
      description,
    };
  }

  private async description(actor: Actor, id: string): Promise<string> {
    try {
      return ((await this.d.knowledge.get(actor, id)).object.description as string | undefined) ?? '';
    } catch {
      return '';
    }
  }

  private next(prev: string): string {
    return nextModified(this.d.clock.now(), prev);
  }

  private async own(actor: UserActor, id: string): Promise<{ row: CampaignRow; incidents: string[] }> {
    const c = await this.d.campaigns.load(this.d.campaigns.db, id);
    if (!c || c.row.status !== 'confirmed' || !canRead(readerOf(actor), toReleasable(c.row)))
      throw notFound(`campaign ${id}`);
    if (c.row.author !== actor.org)
      throw forbidden(`only the organisation that confirmed the campaign (${c.row.author}) may change it`);
    return c;
  }

  private async readableAll(actor: Actor, ids: string[], field: string): Promise<string[]> {
    const rows = await this.d.intel.readableIncidents(readerOf(actor), ids);
    const ok = new Set(rows.map((r) => r.id));
    ids.forEach((id, i) => {
      if (!ok.has(id)) throw validation(`${field}[${i}]`, `no incident ${id} that you may read`);
    });
    return [...ok].sort();
  }

  /** Writes one campaign version: STIX objects (campaign + relationships), index rows and outbox event. */
  private async write(
    actor: UserActor,
    row: CampaignRow,
    incidents: readonly string[],
    dropped: readonly string[],
    description: string,
    outer?: Transaction<Schema>,
    revoked = false,
  ): Promise<void> {
    const work = async (trx: Transaction<Schema>) => {
      const audience = decodeAudience(row.audience);
      // Incidents that became hidden from the writer stay members, but their current state never enters what it writes.
      const members = await this.d.intel.incidents([...incidents, ...dropped], trx);
      const rows = members.filter((r) => canRead(readerOf(actor), toReleasable(r)));
      // No first_seen/last_seen: over the members this object would tell every reader of the campaign the times of
      // members it may not read. Readers get them over REST, computed over what each may read.
      const campaign = {
        type: 'campaign',
        spec_version: '2.1',
        id: row.id,
        created: row.created_at,
        modified: row.modified,
        name: row.name,
        description,
        confidence: row.confidence,
        object_marking_refs: [TLP2_MARKING_IDS[row.tlp as Tlp]],
        ...(revoked ? { revoked: true } : {}),
      };
      await this.ingest(trx, actor, [campaign], row.tlp as Tlp, audience);
      // A link nobody may read now (its incident hidden from the writer, or no reader of both) is not written; one
      // written before is withdrawn from its readers (link-withdrawal.service.ts).
      const stale: LinkCheck[] = [];
      const readable = new Set(rows);
      const ids = await new ChildIds(trx).ids(
        row.id,
        members.map((r) => ({ key: `related-to|${r.id}`, type: 'relationship' })),
      );
      for (const r of members) {
        const id = ids.get(`related-to|${r.id}`)!;
        const both = readable.has(r) ? linkReleasability(toReleasable(row), toReleasable(r)) : undefined;
        if (!both) {
          stale.push({ id, allowed: undefined });
          continue;
        }
        const gone = revoked || dropped.includes(r.id);
        const relationship = {
          type: 'relationship',
          spec_version: '2.1',
          id,
          created: row.created_at,
          modified: row.modified,
          relationship_type: 'related-to',
          source_ref: row.id,
          target_ref: r.id,
          confidence: row.confidence,
          object_marking_refs: [TLP2_MARKING_IDS.red],
          ...(gone ? { revoked: true } : {}),
        };
        await this.ingest(trx, actor, [relationship], 'red', [...new Set([...both.audience, actor.org])]);
      }
      await withdrawStaleLinks(trx, this.d.knowledge, this.d.clock, stale);
      await this.d.campaigns.save(trx, row, incidents);
      await appendToOutbox(
        trx,
        [
          {
            event: 'campaign.updated',
            objectId: row.id,
            author: row.author,
            tlp: row.tlp as Tlp,
            audience,
            payload: { name: row.name, status: row.status, mergedInto: row.merged_into, modified: row.modified },
          },
        ],
        row.modified,
      );
    };
    if (outer) return work(outer);
    await this.d.intel.db.transaction().execute(work);
    this.d.notifier.nudge();
  }

  private async ingest(
    trx: Transaction<Schema>,
    actor: UserActor,
    objects: Record<string, unknown>[],
    tlp: Tlp,
    audience: string[],
  ): Promise<void> {
    const report = await this.d.knowledge.ingestWithin(
      trx,
      actor,
      objects.map((value, index) => ({ index, value })),
      { defaultTlp: tlp, audience },
    );
    if (report.rejected.length > 0)
      throw new DomainError('conflict', `campaign objects rejected: ${report.rejected[0]!.message}`);
  }
}
