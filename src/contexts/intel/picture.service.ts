import type { Actor } from '../../kernel/access/actor.ts';
import { readerOf } from '../../kernel/access/actor.ts';
import { decodeAudience } from '../../kernel/access/releasability.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { components } from './campaign.ts';
import { nameUuid } from '../stix/stix.ts';
import type { IncidentRow, IntelRepository } from './intel.repository.ts';
import type { CorrelationSettings } from './correlation.ts';
import type { SuggestedCampaign } from './campaign.schema.ts';

export type { SuggestedCampaign };

const LINK_SCAN = 20_000;
/** Attack patterns looked at per technique search, and how many are parsed at a time. */
const TTP_SCAN = 20_000;
export const TTP_CHUNK = 64;

type TtpItem = { id: string; name: string; externalId: string | null; source: string | null };

function ttpItem(json: string): TtpItem | undefined {
  const o = JSON.parse(json) as {
    id: string;
    name?: string;
    revoked?: boolean;
    external_references?: Array<{ source_name?: string; external_id?: string }>;
  };
  if (o.revoked) return undefined;
  const ext = o.external_references?.find((e) => typeof e.external_id === 'string');
  return { id: o.id, name: o.name ?? o.id, externalId: ext?.external_id ?? null, source: ext?.source_name ?? null };
}

/** Read models over the intel index: campaigns, threat picture, techniques, common values. Releasable only. */
export class PictureService {
  constructor(
    private readonly repo: IntelRepository,
    private readonly knowledge: KnowledgeService,
    private readonly settings: CorrelationSettings,
  ) {}

  /** Connected components of strong links whose incidents the reader may all read. */
  async campaigns(actor: Actor, limit: number): Promise<SuggestedCampaign[]> {
    const reader = readerOf(actor);
    const links = await this.repo.readableStrongLinks(reader, this.settings.strongLink, LINK_SCAN);
    const comps = components(links).slice(0, limit);
    const rows = new Map(
      (
        await this.repo.readableIncidents(
          reader,
          comps.flatMap((c) => c.incidents),
        )
      ).map((r) => [r.id, r]),
    );
    return comps.map((c) =>
      presentCampaign(
        c.incidents.map((id) => rows.get(id)).filter((r): r is IncidentRow => r !== undefined),
        c.links,
        c.maxScore,
      ),
    );
  }

  async picture(actor: Actor, since: string | undefined): Promise<Record<string, unknown>> {
    const reader = readerOf(actor);
    const [byCategory, byMember, byWeek] = await Promise.all([
      this.repo.countBy(reader, 'category', since),
      this.repo.countByMember(reader, since),
      this.repo.countBy(reader, 'iso_week', since),
    ]);
    const total = byCategory.reduce((n, r) => n + r.n, 0);
    const campaigns = (await this.campaigns(actor, 5)).map((c) => ({
      id: c.id,
      name: c.name,
      incidents: c.incidents.length,
      membersTouched: c.membersTouched,
      lastSeen: c.lastSeen,
    }));
    const out: Record<string, unknown> = {
      total,
      byCategory: Object.fromEntries(byCategory.map((r) => [r.key, r.n])),
      byMember: Object.fromEntries(byMember.map((r) => [r.key, r.n])),
      byWeek: Object.fromEntries(byWeek.map((r) => [r.key, r.n])),
      topCampaigns: campaigns,
    };
    if (since) {
      const changed = await this.repo.changedSince(reader, since, 100);
      out.changedSince = {
        since,
        incidents: changed.map((r) => ({
          id: r.id,
          title: r.title,
          category: r.category,
          modified: r.modified,
          new: r.created_at === r.modified,
        })),
        newLinks: await this.repo.countLinksSince(reader, since),
      };
    }
    return out;
  }

  /** Attack patterns (DISARM, ATT&CK, …) the reader may read, by name or external id. */
  async ttps(actor: Actor, q: string | undefined, limit: number): Promise<TtpItem[]> {
    const needle = (q ?? '').toLowerCase();
    const out: TtpItem[] = [];
    let scanned = 0;
    const query = { reader: readerOf(actor), scope: { kind: 'all' as const }, types: ['attack-pattern'] };
    for await (const rows of this.knowledge.scan(query, TTP_CHUNK)) {
      for (const r of rows) {
        const item = ttpItem(r.json);
        if (
          item &&
          (needle === '' || item.name.toLowerCase().includes(needle) || item.externalId?.toLowerCase().includes(needle))
        )
          out.push(item);
        if (out.length >= limit) return out;
      }
      scanned += rows.length;
      if (scanned >= TTP_SCAN) break;
    }
    return out;
  }

  async commonValues(actor: Actor): Promise<Array<{ type: string; value: string; visibleIncidents: number }>> {
    const rows = await this.repo.commonValues(readerOf(actor), this.settings.commonThreshold, 200);
    // The total count would tell how many hidden incidents carry the value: only the visible count is shown.
    return rows.map((r) => ({ type: r.kind, value: r.norm_value, visibleIncidents: r.visible }));
  }
}

export function presentCampaign(rows: IncidentRow[], links: number, maxScore: number): SuggestedCampaign {
  const sorted = [...rows].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
  const members = new Set(rows.flatMap((r) => decodeAudience(r.members)));
  const categories = new Set(rows.map((r) => r.category));
  const first = sorted[0] ?? { title: '', occurred_at: '' };
  return {
    id: `campaign--${nameUuid(`bulwark-suggested|${rows.map((r) => r.id).sort()[0] ?? ''}`)}`,
    status: 'suggested',
    name: `Suggested: ${first.title}`.slice(0, 200),
    incidents: rows.map((r) => r.id).sort(),
    categories: [...categories].sort(),
    membersTouched: [...members].sort(),
    firstSeen: first.occurred_at,
    lastSeen: sorted[sorted.length - 1]?.occurred_at ?? '',
    links,
    maxScore,
  };
}
