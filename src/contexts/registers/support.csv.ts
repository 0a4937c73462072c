/**
 * The register's own CSV form (docs/registers.md): one entry per row under a header naming these
 * columns; `amount` and `currency` go together; `audience` lists organisation codes separated by ";".
 * Each row is checked with the same schema as POST /api/v1/support; a bad row is refused naming its
 * line and column, and then nothing is stored. Pure (parses text given to it).
 */
import { parse } from 'csv-parse/sync';
import { validation } from '../../platform/errors.ts';
import { CreateSupportBody, type CreateSupportInput } from './support.schema.ts';

export const CSV_COLUMNS = [
  'recipient',
  'avenue',
  'description',
  'amount',
  'currency',
  'pledgedAt',
  'status',
  'source',
  'sourceGrade',
  'tlp',
  'audience',
] as const;
const REQUIRED = ['recipient', 'avenue', 'description', 'pledgedAt', 'status', 'tlp'] as const;

/** At most this many rows in one import (one transaction). */
export const MAX_CSV_ROWS = 50_000;

export function parseSupportCsv(text: string): CreateSupportInput[] {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      to: MAX_CSV_ROWS + 1,
      max_record_size: 64 * 1024,
    });
  } catch (e) {
    throw validation('file', `not a CSV file the import can read: ${(e as Error).message}`);
  }
  if (rows.length > MAX_CSV_ROWS) throw validation('file', `holds more than ${MAX_CSV_ROWS} rows; split it`);
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0)
    throw validation('header', `unknown column ${unknown.join(', ')}; columns are ${CSV_COLUMNS.join(', ')}`);
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (rows.length > 0 && missing.length > 0) throw validation('header', `missing column ${missing.join(', ')}`);
  return rows.map((r, i) => {
    const line = i + 2;
    const opt = (k: string) => (r[k] === undefined || r[k] === '' ? undefined : r[k]);
    const amount = opt('amount');
    const currency = opt('currency');
    if ((amount === undefined) !== (currency === undefined))
      throw validation(`line ${line}: amount`, 'amount and currency are given together or not at all');
    const candidate = {
      recipient: r.recipient,
      avenue: r.avenue,
      description: r.description,
      ...(amount !== undefined ? { amount: { value: Number(amount), currency } } : {}),
      pledgedAt: r.pledgedAt,
      status: r.status,
      ...(opt('source') ? { source: opt('source') } : {}),
      ...(opt('sourceGrade') ? { sourceGrade: opt('sourceGrade') } : {}),
      tlp: r.tlp,
      ...(opt('audience')
        ? {
            audience: opt('audience')!
              .split(';')
              .map((s) => s.trim()),
          }
        : {}),
    };
    const parsed = CreateSupportBody.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw validation(`line ${line}: ${issue.path.join('.') || '(row)'}`, issue.message);
    }
    return parsed.data;
  });
}
