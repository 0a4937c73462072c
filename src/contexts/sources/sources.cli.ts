import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { validation } from '../../platform/errors.ts';
import type { OrganisationRepository } from '../sharing/organisation.repository.ts';
import type { DocumentService } from './document.service.ts';
import { parseFeedItems } from './feed.ts';
import { fetchText, MAX_FETCH_BYTES } from './fetch.service.ts';
import { CreateDocumentBody, type CreateDocumentInput } from './sources.schema.ts';

type StoreOpts = { data: string; databaseUrl?: string };
type IngestOpts = StoreOpts & {
  member: string;
  tlp: string;
  audience?: string;
  source?: string;
  credibility?: string;
  title?: string;
  json: boolean;
};
export interface IngestServices {
  documents: DocumentService;
  orgs: OrganisationRepository;
  fetchAllowPrivate: boolean;
  close(): Promise<void>;
}

/** What a file or page holds: a feed (RSS, Atom, RDF, JSON Feed), an HTML page, or plain text. */
export function kindOf(body: string, contentType = ''): 'feed' | 'html' | 'text' {
  const head = body.slice(0, 2048).trimStart().toLowerCase();
  if (/(rss|atom|xml|feed\+json)/.test(contentType) || /^<\?xml|^<rss|^<feed|^<rdf:rdf/.test(head)) return 'feed';
  if (head.startsWith('{') && head.includes('jsonfeed.org')) return 'feed';
  if (contentType.includes('html') || /^<!doctype html|^<html|<body[\s>]/.test(head)) return 'html';
  return 'text';
}

/**
 * `bulwark ingest FILE|URL --member PL [--tlp amber] [--audience LT,PL] [--source ID] [--credibility 2]`:
 * a text, an HTML page or a feed, through the same checks as POST /api/v1/documents.
 */
export function registerSourcesCommands(
  program: Command,
  storeOptions: (c: Command) => Command,
  open: (o: StoreOpts) => Promise<IngestServices>,
): void {
  storeOptions(
    program
      .command('ingest <fileOrUrl>')
      .description('read a text, HTML page or feed (file or http(s) URL) into open sources for an organisation')
      .requiredOption('--member <code>', 'organisation that authors the documents, e.g. PL')
      .option('--tlp <level>', 'TLP of the documents: clear, green, amber, amber+strict, red', 'amber')
      .option('--audience <codes>', 'comma-separated organisation codes that may read them')
      .option('--source <id>', "one of the organisation's sources (its grade goes on the documents)")
      .option('--credibility <1-6>', 'information credibility of the Admiralty code')
      .option('--title <title>', 'title (a single text or page)')
      .option('--json', 'print the stored documents as JSON', false),
  ).action(async (target: string, o: IngestOpts) => {
    const s = await open(o);
    try {
      const org = await s.orgs.get(o.member.toUpperCase());
      if (!org) throw validation('--member', `${o.member} is not an organisation`);
      const { body, contentType, url } = await read(target, s.fetchAllowPrivate);
      const common = {
        tlp: o.tlp,
        ...(o.audience ? { audience: o.audience.split(',').map((x) => x.trim()) } : {}),
        ...(o.source ? { source: o.source } : {}),
        ...(o.credibility ? { credibility: Number(o.credibility) } : {}),
      };
      const inputs: unknown[] =
        kindOf(body, contentType) === 'feed'
          ? parseFeedItems(body).map((i) => ({
              ...common,
              title: i.title,
              url: i.url,
              publishedAt: i.publishedAt,
              ...(i.html !== undefined ? { html: i.html } : { text: i.text ?? '' }),
            }))
          : [{ ...common, title: o.title, url, [kindOf(body, contentType)]: body }];
      const stored = [];
      for (const raw of inputs) {
        const input = parse(raw);
        const id = await s.documents.store({ org: org.code, by: 'cli:ingest' }, input);
        stored.push(await s.documents.get({ kind: 'system', name: 'cli' }, id));
      }
      if (o.json) process.stdout.write(`${JSON.stringify({ documents: stored })}\n`);
      else
        for (const d of stored)
          process.stdout.write(
            `${d.id} ${d.grade} ${d.language} ${d.entities.length} entities, ${d.claims.length} claims${d.title ? `: ${d.title}` : ''}\n`,
          );
    } finally {
      await s.close();
    }
  });
}

function parse(raw: unknown): CreateDocumentInput {
  const r = CreateDocumentBody.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.join('.');
  throw validation(path === 'text' || path === 'html' ? 'FILE' : `--${path}`, issue.message);
}

async function read(
  target: string,
  allowPrivate: boolean,
): Promise<{ body: string; contentType: string; url?: string }> {
  if (/^https?:\/\//i.test(target)) {
    const f = await fetchText(target, { allowPrivate });
    return { body: f.text, contentType: f.contentType, url: f.url };
  }
  const size = statSync(target).size;
  if (size > MAX_FETCH_BYTES) throw validation('FILE', `is larger than ${MAX_FETCH_BYTES} bytes`);
  const buf = readFileSync(target);
  try {
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(buf), contentType: '' };
  } catch {
    throw validation('FILE', 'is not UTF-8 text');
  }
}
