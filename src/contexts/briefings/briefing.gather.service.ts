import type { Reader } from '../../kernel/access/releasability.ts';
import { decodeAudience } from '../../kernel/access/releasability.ts';
import { isTlp, type Tlp } from '../../kernel/access/tlp.ts';
import type { SupportService } from '../registers/support.service.ts';
import type { DiplomacyService } from '../registers/diplomacy.service.ts';
import type { HumanitarianService } from '../registers/humanitarian.service.ts';
import type { BriefingData, Count, Held, OutlookSection } from './briefing.ts';
import type { BriefingSourcesRepository } from './briefing.sources.repository.ts';

/**
 * The outlook context's contribution, for a reader and a period. Another context builds it; main.ts
 * passes it when it exists. Absent, the briefing's outlook section says that no outlook data exists.
 */
export interface OutlookPort {
  section(reader: Reader, from: string, to: string): Promise<{ section: OutlookSection; held: Held[] }>;
}

/** The treaty engine's Article 5 answer for an incident's place, date, target and nature. */
export type AssessPort = (req: {
  occurredAt: string;
  location: { lat: number; lon: number };
  target: { party: string; kind: 'territory' };
  nature: 'cyber' | 'hybrid';
}) => { article5: string };

export interface GatherPorts {
  sources: BriefingSourcesRepository;
  support: SupportService;
  diplomacy: DiplomacyService;
  humanitarian: HumanitarianService;
  assess: AssessPort;
  outlook?: OutlookPort | undefined;
}

/** Most rows a table of the briefing lists (counts and figures cover everything). */
const TABLE_ROWS = 50;
const tlpOf = (t: string): Tlp => (isTlp(t) ? t : 'red');
const countOf = (m: Map<string, number>): Count[] =>
  [...m].map(([key, n]) => ({ key, n })).sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1));

/**
 * Gathers, for a reader and a period, only what that reader may read (every query is filtered by the
 * releasability rule), with the release and version of every object it holds.
 */
export async function gather(
  p: GatherPorts,
  reader: Reader,
  q: { title: string; from: string; to: string; org: string },
): Promise<{ data: BriefingData; held: Held[] }> {
  const held: Held[] = [];
  const hold = (id: string, modified: string, author: string, tlp: string, audience: string | readonly string[]) =>
    held.push({
      id,
      modified,
      author,
      tlp: tlpOf(tlp),
      audience: typeof audience === 'string' ? decodeAudience(audience) : audience,
    });

  const incidents = await p.sources.incidents(reader, q.from, q.to);
  const byCategory = new Map<string, number>();
  const byMember = new Map<string, number>();
  const article5 = new Map<string, number>();
  const assessed = new Map<string, string>();
  const points: BriefingData['situation']['points'] = [];
  for (const i of incidents) {
    hold(i.id, i.modified, i.author, i.tlp, i.audience);
    byCategory.set(i.category, (byCategory.get(i.category) ?? 0) + 1);
    const members = decodeAudience(i.members);
    for (const m of members) byMember.set(m, (byMember.get(m) ?? 0) + 1);
    if (i.lat === null || i.lon === null) continue;
    points.push({ lat: i.lat, lon: i.lon, category: i.category });
    const party = members[0];
    if (!party) continue;
    const nature = i.category === 'cyber' ? 'cyber' : 'hybrid';
    const day = i.occurred_at.slice(0, 10);
    const key = `${party}|${nature}|${day}|${i.lat.toFixed(2)}|${i.lon.toFixed(2)}`;
    let outcome = assessed.get(key);
    if (outcome === undefined) {
      try {
        outcome = p.assess({
          occurredAt: i.occurred_at,
          location: { lat: i.lat, lon: i.lon },
          target: { party, kind: 'territory' },
          nature,
        }).article5;
      } catch {
        outcome = 'not assessed';
      }
      assessed.set(key, outcome);
    }
    article5.set(outcome, (article5.get(outcome) ?? 0) + 1);
  }

  const campaigns = await p.sources.campaigns(reader, q.from, q.to);
  for (const c of campaigns) hold(c.id, c.modified, c.author, c.tlp, c.audience);
  const proposals = await p.sources.proposals(reader, q.from, q.to);
  for (const x of [...proposals.decided, ...proposals.open])
    hold(x.id, x.decided_at ?? x.created_at, x.author, x.tlp, x.audience);

  const outlook = p.outlook ? await p.outlook.section(reader, q.from, q.to) : undefined;
  if (outlook) held.push(...outlook.held);

  const summary = await p.support.summary(reader);
  for (const r of await p.support.summaryReleases(reader))
    hold(`support-summary:${r.author}|${r.tlp}|${r.audience.join(',')}`, '', r.author, r.tlp, r.audience);
  const inPeriod = (await p.support.list(reader, { from: q.from, to: q.to, limit: TABLE_ROWS })).items;
  for (const e of inPeriod) hold(e.id, e.modified, e.provider, e.tlp, e.audience);

  const record = (await p.diplomacy.list(reader, { to: q.to, limit: 200 })).items;
  const periodEvents = (await p.diplomacy.list(reader, { from: q.from, to: q.to, limit: TABLE_ROWS })).items;
  for (const e of [...record, ...periodEvents]) hold(e.id, e.modified, e.author, e.tlp, e.audience);

  const humanitarian = await p.humanitarian.summary(reader, q.to);
  for (const n of humanitarian.items) hold(n.id, n.modified, n.author, n.tlp, n.audience);

  const data: BriefingData = {
    title: q.title,
    from: q.from,
    to: q.to,
    org: q.org,
    situation: {
      incidents: incidents.length,
      byCategory: countOf(byCategory),
      byMember: countOf(byMember),
      points,
      campaigns: campaigns.map((c) => ({
        id: c.id,
        name: c.name,
        status: c.status,
        incidents: c.incidents,
        created: c.created_at,
      })),
    },
    treaty: {
      article5: countOf(article5),
      decisions: proposals.decided.map((x) => ({
        id: x.id,
        title: x.title,
        status: x.status,
        decidedAt: x.decided_at ?? '',
      })),
      open: proposals.open.map((x) => ({
        id: x.id,
        title: x.title,
        procedure: x.procedure,
        silenceEndsAt: x.silence_ends_at,
      })),
    },
    outlook: outlook?.section ?? null,
    support: {
      summary,
      inPeriod: inPeriod.map((e) => ({
        id: e.id,
        provider: e.provider,
        recipient: e.recipient,
        avenue: e.avenue,
        description: e.description,
        amount: e.amount,
        status: e.status,
        pledgedAt: e.pledgedAt,
      })),
    },
    diplomacy: { inPeriod: periodEvents, record },
    humanitarian,
  };
  return { data, held };
}
