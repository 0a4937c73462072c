import type { Command } from 'commander';
import { openDatabase } from '../../platform/db/database.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/log.ts';
import { loadAuditAnchor } from './audit.anchor.ts';
import { AuditRepository } from './audit.repository.ts';
import type { VerifyResult } from './audit.ts';

export interface StoreOptions {
  data: string;
  databaseUrl?: string;
}

/** Opens the store the options name with its audit anchor (never generating a key), runs `fn`, closes. */
async function withAudit<T>(o: StoreOptions, fn: (audit: AuditRepository) => Promise<T>): Promise<T> {
  const config = loadConfig({ data: o.data, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) });
  const log = createLogger('warn');
  const anchor = loadAuditAnchor(config, log, false);
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
  try {
    return await fn(new AuditRepository(database.db, database.dialect, anchor, log));
  } finally {
    await database.close();
  }
}

/** Verifies the chain of the store the options name. Verifying never writes. */
export function verifyStore(o: StoreOptions): Promise<VerifyResult> {
  return withAudit(o, (a) => a.verify());
}

export function formatVerify(r: VerifyResult): string {
  const cp = r.checkpoint ? `; signed checkpoint ${r.checkpoint.seq} of ${r.checkpoint.at}` : '';
  if (r.ok) return `audit log intact: ${r.entries} entries, head ${r.head}${cp}\n`;
  const where = r.firstBrokenSeq !== undefined ? `at seq ${r.firstBrokenSeq}: ` : ': ';
  return `audit log BROKEN ${where}${r.reason ?? ''} (${r.entries} entries verified${cp})\n${(r.council ?? []).map((l) => `  ${l}\n`).join('')}`;
}

/**
 * `bulwark audit verify [--data DIR | --database-url URL] [--json]`: checks the chain end to end (links,
 * HMACs, the signed head, the council tables); exit code 0 when intact, 1 naming the problem otherwise.
 * `bulwark audit anchor`: signs the current head anew after checking every HMAC (after a restore).
 */
export function registerAuditCommands(program: Command, storeOptions: (c: Command) => Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  storeOptions(
    audit
      .command('verify')
      .description('verify the audit log: hash chain, HMACs, signed head, council records')
      .option('--json', 'print the result as JSON', false),
  ).action(async (o: StoreOptions & { json: boolean }) => {
    const r = await verifyStore(o);
    process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatVerify(r));
    if (!r.ok) process.exitCode = 1;
  });
  storeOptions(
    audit
      .command('anchor')
      .description(
        'sign the current head of a chain whose HMACs verify (after restoring a backup or losing the checkpoint)',
      ),
  ).action(async (o: StoreOptions) => {
    const c = await withAudit(o, (a) => a.reanchor());
    process.stdout.write(`audit log anchored at entry ${c.seq}, head ${c.hash}\n`);
  });
}
