/**
 * The briefing as Markdown, with its figures as SVG beside it: `![caption](figure:ID)` marks where each
 * goes. Every text that comes from the data is escaped, so nothing a writer stored becomes markup, a
 * link or an image. Pure.
 */
import type { BriefingData, Release } from './briefing.ts';
import { barChart, stackedBars, timeline, type StackRow } from './figures.ts';
import { renderSituationMap } from './situation-map.ts';
import type { Amounts } from '../registers/support.ts';

export interface Rendered {
  markdown: string;
  figures: Record<string, string>;
}

export interface Meta {
  release: Release;
  sha256: string;
  /** Members and partners for the map's shading. */
  members: readonly string[];
  partners: readonly string[];
}

/** Markdown's punctuation that could start markup, escaped; line breaks folded; bounded length. */
export function md(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

/** A URL of the data as an autolink (sources are validated http(s) URLs; <, > and spaces encoded). */
function link(url: string): string {
  return `<${url.replace(/[<> ]/g, (c) => encodeURIComponent(c))}>`;
}

export function tlpLabel(r: Release): string {
  const level = `TLP:${r.tlp.toUpperCase()}`;
  return r.audience.length > 0 ? `${level}, audience: ${r.audience.join(', ')}` : level;
}

const day = (iso: string) => iso.slice(0, 10);
const money = (v: number) => v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  if (rows.length === 0) return '_None in the period._\n';
  return (
    [
      `| ${head.join(' | ')} |`,
      `| ${head.map(() => '---').join(' | ')} |`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n') + '\n'
  );
}

/** Rows of one currency for the stacked bars. */
function stackRows(groups: ReadonlyArray<{ key: string; amounts: Amounts[] }>, currency: string): StackRow[] {
  return groups.flatMap((g) => {
    const a = g.amounts.find((x) => x.currency === currency);
    return a ? [{ label: g.key, pledged: a.pledged, allocated: a.allocated, delivered: a.delivered }] : [];
  });
}

export function renderMarkdown(d: BriefingData, meta: Meta): Rendered {
  const figures: Record<string, string> = {};
  const figure = (id: string, caption: string, svgText: string) => {
    figures[id] = svgText;
    return `![${md(caption, 200)}](figure:${id})\n`;
  };
  const label = tlpLabel(meta.release);
  const out: string[] = [];
  out.push(`**${md(label)}**\n`);
  out.push(`# ${md(d.title, 300)}\n`);
  out.push(
    `Period ${day(d.from)} to ${day(d.to)} · prepared for ${md(d.org)} from what it may read · data sha256 \`${meta.sha256}\`\n`,
  );

  const s = d.situation;
  out.push(`## 1. Situation\n`);
  out.push(`${s.incidents} incidents in the period; ${s.points.length} of them located on the map.\n`);
  out.push(
    figure(
      'situation-map',
      'Situation map: incidents of the period by place and category',
      renderSituationMap({ points: s.points, members: meta.members, partners: meta.partners, title: 'Situation map' }),
    ),
  );
  out.push(figure('by-category', 'Incidents by category', barChart('Incidents by category', s.byCategory, 20, true)));
  out.push(
    table(
      ['Category', 'Incidents'],
      s.byCategory.map((c) => [md(c.key), String(c.n)]),
    ),
  );
  out.push(
    figure('by-member', 'Incidents by affected member', barChart('Incidents by affected member', s.byMember, 32)),
  );
  out.push(`### Campaigns\n`);
  out.push(
    table(
      ['Campaign', 'Status', 'Incidents', 'Confirmed'],
      s.campaigns.map((c) => [md(c.name, 200), md(c.status), String(c.incidents), day(c.created)]),
    ),
  );

  const t = d.treaty;
  out.push(`## 2. Treaty and council\n`);
  out.push(
    `Article 5 status of the period's located incidents (treaty engine; cyber and hybrid attacks on a party in the treaty area are left to the Council):\n`,
  );
  out.push(
    table(
      ['Article 5', 'Incidents'],
      t.article5.map((c) => [md(c.key), String(c.n)]),
    ),
  );
  out.push(`### Decisions in the period\n`);
  out.push(
    table(
      ['Proposal', 'Outcome', 'Decided'],
      t.decisions.map((p) => [md(p.title, 200), md(p.status), day(p.decidedAt)]),
    ),
  );
  out.push(`### Open proposals\n`);
  out.push(
    table(
      ['Proposal', 'Procedure', 'Silence ends'],
      t.open.map((p) => [md(p.title, 200), md(p.procedure), p.silenceEndsAt ? day(p.silenceEndsAt) : '–']),
    ),
  );

  out.push(`## 3. Outlook\n`);
  if (!d.outlook) {
    out.push(
      'No outlook data exists: this server has no outlook context, so there are no scenario probabilities, changes or postures to report.\n',
    );
  } else if (d.outlook.scenarios.length === 0) {
    out.push('No scenario set that this briefing’s reader may read.\n');
  } else {
    out.push(
      figure(
        'scenarios',
        'Scenario probabilities (percent)',
        barChart(
          'Scenario probabilities',
          d.outlook.scenarios.map((x) => ({ key: x.name, n: Math.round(x.probability * 100) })),
        ),
      ),
    );
    out.push(
      table(
        ['Scenario', 'Probability', 'Change in the period'],
        d.outlook.scenarios.map((x) => [
          md(x.name, 200),
          `${Math.round(x.probability * 100)} %`,
          `${x.change >= 0 ? '+' : ''}${Math.round(x.change * 100)} pts`,
        ]),
      ),
    );
    out.push(
      table(
        ['Member', 'Posture'],
        d.outlook.posture.map((p) => [md(p.member), md(p.posture, 200)]),
      ),
    );
  }

  const sup = d.support.summary;
  out.push(`## 4. Support to partners\n`);
  const currencies = [...new Set(sup.byAvenue.flatMap((a) => a.amounts.map((x) => x.currency)))].sort().slice(0, 3);
  for (const c of currencies) {
    out.push(
      figure(
        `support-avenue-${c}`,
        `Support by avenue, ${c}`,
        stackedBars(
          'Support by avenue',
          c,
          stackRows(
            sup.byAvenue.map((a) => ({ key: a.avenue, amounts: a.amounts })),
            c,
          ),
        ),
      ),
    );
    out.push(
      figure(
        `support-provider-${c}`,
        `Support by provider, ${c}`,
        stackedBars(
          'Support by provider',
          c,
          stackRows(
            sup.byProvider.map((a) => ({ key: a.provider, amounts: a.amounts })),
            c,
          ),
        ),
      ),
    );
  }
  out.push(
    table(
      ['Avenue', 'Entries', 'Currency', 'Pledged', 'Allocated', 'Delivered'],
      sup.byAvenue.flatMap((a) =>
        a.amounts.length === 0
          ? [[md(a.avenue), String(a.entries), '–', '–', '–', '–']]
          : a.amounts.map((x) => [
              md(a.avenue),
              String(a.entries),
              x.currency,
              money(x.pledged),
              money(x.allocated),
              money(x.delivered),
            ]),
      ),
    ),
  );
  out.push(`### Pledged in the period\n`);
  out.push(
    table(
      ['Provider', 'Recipient', 'Avenue', 'Description', 'Amount', 'Status'],
      d.support.inPeriod.map((e) => [
        md(e.provider),
        md(e.recipient),
        md(e.avenue),
        md(e.description, 160),
        e.amount ? `${money(e.amount.value)} ${e.amount.currency}` : '–',
        md(e.status),
      ]),
    ),
  );

  out.push(`## 5. Diplomacy\n`);
  out.push(
    figure(
      'diplomacy-timeline',
      'The diplomatic record up to the end of the period',
      timeline('Diplomatic record', d.diplomacy.record, d.to),
    ),
  );
  out.push(
    table(
      ['Event', 'Kind', 'Dates', 'Parties', 'Status', 'Sources'],
      d.diplomacy.inPeriod.map((e) => [
        md(e.title, 200),
        md(e.kind),
        e.endedAt ? `${day(e.startedAt)} – ${day(e.endedAt)}` : day(e.startedAt),
        md(e.parties.join(', '), 200),
        md(e.status),
        e.sources.map(link).join(' '),
      ]),
    ),
  );

  const h = d.humanitarian;
  out.push(`## 6. Humanitarian needs\n`);
  out.push(
    figure(
      'people-in-need',
      'People in need by sector (latest per area and sector)',
      barChart(
        'People in need by sector',
        Object.entries(
          h.items.reduce<Record<string, number>>(
            (acc, x) => ({ ...acc, [x.sector]: (acc[x.sector] ?? 0) + x.peopleInNeed }),
            {},
          ),
        ).map(([key, v]) => ({ key, n: v })),
      ),
    ),
  );
  out.push(
    table(
      ['Area', 'Sector', 'People in need', 'Reached', 'Funding required', 'Received', 'As of', 'Source'],
      h.items.map((x) => [
        md(x.area),
        md(x.sector),
        x.peopleInNeed.toLocaleString('en-GB'),
        x.peopleReached === null ? '–' : x.peopleReached.toLocaleString('en-GB'),
        x.fundingRequired ? `${money(x.fundingRequired.value)} ${x.fundingRequired.currency}` : '–',
        x.fundingReceived ? `${money(x.fundingReceived.value)} ${x.fundingReceived.currency}` : '–',
        day(x.asOf),
        link(x.source),
      ]),
    ),
  );
  out.push(`### Gap to support\n`);
  out.push(
    table(
      ['Country', 'Currency', 'Unmet need', 'Support offered', 'Uncovered'],
      h.gaps.map((g) => [
        md(g.country),
        g.currency,
        money(g.unmet),
        money(g.supportPledged + g.supportAllocated + g.supportDelivered),
        money(g.uncovered),
      ]),
    ),
  );
  out.push(`---\n\n**${md(label)}**\n`);
  return { markdown: out.join('\n'), figures };
}

/** The Markdown file: each figure as an inline SVG image (data URI), so the file stands alone. */
export function standaloneMarkdown(r: Rendered): string {
  return r.markdown.replace(/\(figure:([a-z0-9-]{1,60})\)/gi, (all, id: string) => {
    const s = r.figures[id];
    return s === undefined ? all : `(data:image/svg+xml;base64,${Buffer.from(s).toString('base64')})`;
  });
}
