import { randomUUID } from 'node:crypto';
import type { Reader } from '../sharing/releasability.policy.ts';
import type { KnowledgeService } from './knowledge.service.ts';

export interface ExportQuery {
  reader: Reader;
  types?: readonly string[];
  sinceUs?: number;
  /** All versions, or only the latest (default). */
  allVersions?: boolean;
}

const PAGE = 5000;

/**
 * Streams a STIX 2.1 bundle of what the reader may read, page by page over a snapshot (objects
 * added after the export started are left out), so memory stays flat whatever the store size.
 */
export async function* exportBundle(knowledge: KnowledgeService, q: ExportQuery): AsyncGenerator<string> {
  const snapshot = await knowledge.repo.lastAddedUs();
  yield `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`;
  let after = q.sinceUs ?? 0;
  let first = true;
  for (;;) {
    const rows = await knowledge.list({
      reader: q.reader, scope: { kind: 'all' }, types: q.types, versions: [q.allVersions ? 'all' : 'last'],
      addedAfterUs: after, addedUntilUs: snapshot, limit: PAGE,
    });
    if (rows.length === 0) break;
    let chunk = '';
    for (const r of rows) {
      chunk += (first ? '\n' : ',\n') + r.json;
      first = false;
    }
    yield chunk;
    after = rows[rows.length - 1]!.added_us;
    if (rows.length < PAGE) break;
  }
  yield '\n]}\n';
}
