import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { notFound, validation } from '../../platform/errors.ts';
import { cursorAfter, pageOf } from '../../platform/keyset.ts';
import { appendToOutbox, type EventNotifier } from '../../platform/events/outbox.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import type { OrgKind } from '../../kernel/access/organisation.ts';
import { hashOf, periodProblem, releaseOf, type Format } from './briefing.ts';
import { renderMarkdown, standaloneMarkdown } from './briefing.markdown.ts';
import { renderHtml } from './briefing.html.ts';
import { gather, type GatherPorts } from './briefing.gather.service.ts';
import type { BriefingRepository, StoredBriefing } from './briefing.repository.ts';
import type { PdfPrinter } from './briefing.pdf.ts';
import type { BriefingViewT } from './briefing.schema.ts';

/** Who a briefing is made for: an organisation reading as itself, and the user (or schedule) that asked. */
export interface Requester {
  org: string;
  orgKind: OrgKind;
  by: string;
}

export interface BriefingDeps extends GatherPorts {
  repo: BriefingRepository;
  printer: PdfPrinter;
  clock: Clock;
  notifier: EventNotifier;
  /** Start the PDF printer's browser when briefings are first asked for (BULWARK_PDF_WARM=first-request). */
  warmOnRequest?: boolean;
}

export interface BriefingRequest {
  title?: string | undefined;
  from: string;
  to: string;
  format: Format;
  scheduled?: boolean;
}

export interface Document {
  contentType: string;
  body: string | Buffer;
  filename: string;
}

export function present(b: StoredBriefing): BriefingViewT {
  const { hasPdf, ...rest } = b;
  return { ...rest, formats: hasPdf ? ['markdown', 'html', 'pdf'] : ['markdown', 'html'] };
}

/**
 * Briefings: made from what the requester's organisation may read, stored for it, readable, listed and
 * deletable by that organisation only (another organisation's briefing is "not found").
 */
export class BriefingService {
  constructor(private readonly d: BriefingDeps) {}

  /**
   * Someone is working with briefings: the PDF printer's browser starts in the background (when so set),
   * so that a PDF asked for next does not wait for Chromium to start.
   */
  inUse(): void {
    if (this.d.warmOnRequest) this.d.printer.warm();
  }

  async create(who: Requester, req: BriefingRequest): Promise<StoredBriefing> {
    const problem = periodProblem(req.from, req.to);
    if (problem) throw validation(problem.field, problem.message);
    // The browser starts while the data is gathered and rendered, not after.
    if (req.format === 'pdf') this.d.printer.warm();
    const rendered = await this.render(who, req);
    const pdf =
      req.format === 'pdf' ? await this.d.printer.print(rendered.html, rendered.meta, rendered.meta.title) : null;
    await this.d.repo.insert(rendered.meta, { markdown: rendered.markdown, html: rendered.html, pdf });
    await appendToOutbox(
      this.d.repo.base,
      [
        {
          event: 'briefing.created',
          objectId: rendered.meta.id,
          author: who.org,
          tlp: 'red',
          audience: [],
          payload: { tlp: rendered.meta.tlp, from: req.from, to: req.to, scheduled: rendered.meta.scheduled },
        },
      ],
      this.d.clock.now().toISOString(),
    );
    this.d.notifier.nudge();
    return rendered.meta;
  }

  /** The documents without storing them (benchmarks and previews use the same path). */
  async render(who: Requester, req: BriefingRequest) {
    const reader: Reader = { kind: 'org', org: who.org, orgKind: who.orgKind };
    const title = req.title ?? `Briefing for ${who.org}, ${req.from.slice(0, 10)} to ${req.to.slice(0, 10)}`;
    const { data, held } = await gather(this.d, reader, { title, from: req.from, to: req.to, org: who.org });
    const release = releaseOf(held);
    const sha256 = hashOf(data, held);
    const orgs = await this.d.sources.organisations();
    const r = renderMarkdown(data, { release, sha256, members: orgs.members, partners: orgs.partners });
    const meta: StoredBriefing & { title: string } = {
      id: `briefing--${randomUUID()}`,
      org: who.org,
      createdBy: who.by,
      title,
      from: req.from,
      to: req.to,
      createdAt: this.d.clock.now().toISOString(),
      tlp: release.tlp,
      audience: release.audience,
      sha256,
      scheduled: req.scheduled ?? false,
      hasPdf: req.format === 'pdf',
    };
    return { meta, markdown: standaloneMarkdown(r), html: renderHtml(r, release, title) };
  }

  async get(org: string, id: string): Promise<StoredBriefing> {
    const b = await this.d.repo.get(org, id);
    if (!b) throw notFound(`briefing ${id}`);
    return b;
  }

  /** The document in a format; a PDF not printed at creation is printed now and kept. */
  async document(org: string, id: string, format: Format): Promise<Document> {
    const b = await this.get(org, id);
    const filename = `${b.title.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80)}.${format === 'markdown' ? 'md' : format}`;
    if (format !== 'pdf') {
      const body = (await this.d.repo.content(org, id, format)) ?? '';
      return {
        contentType: format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8',
        body,
        filename,
      };
    }
    const stored = await this.d.repo.content(org, id, 'pdf');
    if (stored) return { contentType: 'application/pdf', body: Buffer.from(stored, 'base64'), filename };
    const html = (await this.d.repo.content(org, id, 'html')) ?? '';
    const pdf = await this.d.printer.print(html, b, b.title);
    await this.d.repo.setPdf(org, id, pdf);
    return { contentType: 'application/pdf', body: pdf, filename };
  }

  async list(org: string, limit: number, cursor?: string): Promise<{ items: StoredBriefing[]; next: string | null }> {
    const rows = await this.d.repo.list(org, limit + 1, cursorAfter(cursor));
    return pageOf(rows, limit, (r) => r.createdAt);
  }

  async delete(org: string, id: string, by: string): Promise<void> {
    if (!(await this.d.repo.delete(org, id))) throw notFound(`briefing ${id}`);
    await appendToOutbox(
      this.d.repo.base,
      [{ event: 'briefing.deleted', objectId: id, author: org, tlp: 'red', audience: [], payload: { by } }],
      this.d.clock.now().toISOString(),
    );
    this.d.notifier.nudge();
  }

  async hasScheduled(org: string, to: string): Promise<boolean> {
    return this.d.repo.hasScheduled(org, to);
  }
}
