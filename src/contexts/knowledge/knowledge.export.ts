import { randomUUID } from 'node:crypto';
import type { Reader } from '../../kernel/access/releasability.ts';
import type { KnowledgeService } from './knowledge.service.ts';

export interface ExportQuery {
  reader: Reader;
  types?: readonly string[];
  sinceUs?: number;
  /** All versions, or only the latest (default). */
  allVersions?: boolean;
}

const PAGE = 1000;

/**
 * Streams a STIX 2.1 bundle of what the reader may read, page by page over a snapshot (objects
 * added after the export started are left out), so memory stays flat whatever the store size: a page
 * is bounded in objects and in bytes (KnowledgeRepository.listJoined), and comes as UTF-8 bytes to
 * write, never as one string. Each object carries the release it is held under (outbound.ts), as on
 * TAXII.
 */
export async function* exportBundle(knowledge: KnowledgeService, q: ExportQuery): AsyncGenerator<string | Buffer> {
  const snapshot = await knowledge.repo.lastAddedUs();
  yield `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`;
  let after = q.sinceUs ?? 0;
  let first = true;
  for (;;) {
    const page = await knowledge.listJoined(
      {
        reader: q.reader,
        scope: { kind: 'all' },
        types: q.types,
        versions: [q.allVersions ? 'all' : 'last'],
        addedAfterUs: after,
        addedUntilUs: snapshot,
        limit: PAGE + 1,
      },
      PAGE,
    );
    if (page.count === 0) break;
    if (!first) yield ',';
    first = false;
    yield page.json.body;
    if (!page.more || !page.last) break;
    after = page.last.added_us;
  }
  yield ']}\n';
}
