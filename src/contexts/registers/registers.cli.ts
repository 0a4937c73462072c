import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { validation } from '../../platform/errors.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import type { SupportService } from './support.service.ts';
import { parseSupportCsv } from './support.csv.ts';

type StoreOpts = { data: string; databaseUrl?: string };

/** Largest CSV file an import reads. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The user a CLI command acts as, by name (an enabled analyst, admin or operator of an organisation). */
export async function actorByName(db: Kysely<Schema>, name: string): Promise<UserActor> {
  const u = await db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.code', 'u.org')
    .select(['u.id', 'u.name', 'u.org', 'u.role', 'u.disabled', 'o.kind'])
    .where('u.name', '=', name)
    .executeTakeFirst();
  if (!u || u.disabled || u.role === 'system') throw validation('--user', `no enabled user named ${name}`);
  return { kind: 'user', userId: u.id, userName: u.name, org: u.org, orgKind: u.kind, role: u.role };
}

/** `bulwark support import FILE --user NAME`: the register's CSV, stored whole or not at all. */
export function registerSupportCommands(
  program: Command,
  storeOptions: (c: Command) => Command,
  open: (o: StoreOpts) => Promise<{ db: Kysely<Schema>; support: SupportService; close(): Promise<void> }>,
): void {
  const support = program.command('support').description('the register of support to partners');
  storeOptions(
    support
      .command('import')
      .description(
        'import support entries from a CSV file in the columns of docs/registers.md, as the user’s organisation',
      )
      .argument('<file>', 'CSV file')
      .requiredOption('--user <name>', 'the user whose organisation provides the support'),
  ).action(async (file: string, o: StoreOpts & { user: string }) => {
    if ((await stat(file)).size > MAX_FILE_BYTES) throw validation('file', `larger than ${MAX_FILE_BYTES} bytes`);
    const inputs = parseSupportCsv(await readFile(file, 'utf8'));
    const s = await open(o);
    try {
      const actor = await actorByName(s.db, o.user);
      const made = await s.support.createMany(actor, inputs, (i, f) => `line ${i + 2}: ${f}`);
      process.stdout.write(`${file}: ${made.length} support entries stored for ${actor.org}\n`);
    } finally {
      await s.close();
    }
  });
}
