import type { UserActor } from '../../kernel/access/actor.ts';
import { validation } from '../../platform/errors.ts';
import type { DocumentService } from './document.service.ts';
import { fetchText } from './fetch.service.ts';
import { kindOf } from './sources.cli.ts';
import type { DocumentViewT, FetchDocumentInput } from './sources.schema.ts';

/**
 * A document added by its address (the console's "add by URL"): the page is fetched under the open-sources
 * limits (no loopback, private or link-local address unless allowed, 3 redirects, 2 MiB, 10 s) and stored as
 * a posted page or text would be. A feed is refused: it belongs in a feed source, polled item by item.
 */
export class UrlDocumentService {
  constructor(
    private readonly docs: DocumentService,
    private readonly allowPrivate: boolean,
  ) {}

  async create(actor: UserActor, input: FetchDocumentInput): Promise<DocumentViewT> {
    const f = await fetchText(input.url, { allowPrivate: this.allowPrivate });
    const kind = kindOf(f.text, f.contentType);
    if (kind === 'feed') throw validation('url', 'is a feed: add it as a feed source instead');
    const { url: _url, ...rest } = input;
    return this.docs.create(actor, { ...rest, url: f.url, ...(kind === 'html' ? { html: f.text } : { text: f.text }) });
  }
}
