import type { Command } from 'commander';
import { openDatabase } from '../../platform/db/database.ts';
import { AuditRepository } from './audit.repository.ts';
import type { VerifyResult } from './audit.ts';

export interface StoreOptions {
  data: string;
  databaseUrl?: string;
}

/** Verifies the chain of the store the options name. Opens the store directly: verifying never writes. */
export async function verifyStore(o: StoreOptions): Promise<VerifyResult> {
  const url = o.databaseUrl ?? (process.env.DATABASE_URL || undefined);
  const database = await openDatabase(url ? { url } : { dataDir: o.data });
  try {
    return await new AuditRepository(database.db, database.dialect).verify();
  } finally {
    await database.close();
  }
}

export function formatVerify(r: VerifyResult): string {
  if (r.ok) return `audit log intact: ${r.entries} entries, head ${r.head}\n`;
  return `audit log BROKEN at seq ${String(r.firstBrokenSeq)}: ${r.reason ?? ''} (${r.entries} entries before it verified)\n`;
}

/**
 * `bulwark audit verify [--data DIR | --database-url URL] [--json]`: checks the hash chain end to end;
 * exit code 0 when intact, 1 naming the first broken link (seq) otherwise.
 */
export function registerAuditCommands(program: Command, storeOptions: (c: Command) => Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  storeOptions(audit.command('verify').description('verify the audit log hash chain end to end').option('--json', 'print the result as JSON', false)).action(
    async (o: StoreOptions & { json: boolean }) => {
      const r = await verifyStore(o);
      process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatVerify(r));
      if (!r.ok) process.exitCode = 1;
    },
  );
}
