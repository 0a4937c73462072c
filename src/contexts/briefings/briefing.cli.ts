import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { actorByName } from '../registers/registers.cli.ts';
import { CreateBriefingBody } from './briefing.schema.ts';
import type { BriefingService } from './briefing.service.ts';
import { FORMATS, type Format } from './briefing.ts';
import { validation } from '../../platform/errors.ts';

type StoreOpts = { data: string; databaseUrl?: string };

/** `bulwark briefing --user NAME --from --to --format pdf -o FILE`: made, stored for the user's organisation, written. */
export function registerBriefingCommands(
  program: Command,
  storeOptions: (c: Command) => Command,
  open: (o: StoreOpts) => Promise<{ db: Kysely<Schema>; briefings: BriefingService; close(): Promise<void> }>,
): void {
  storeOptions(
    program
      .command('briefing')
      .description('generate a briefing from what the user’s organisation may read, store it and write it to a file')
      .requiredOption('--user <name>', 'the user the briefing is made for (its organisation reads it)')
      .requiredOption('--from <date>', 'start of the period (YYYY-MM-DD or ISO date-time)')
      .requiredOption('--to <date>', 'end of the period (at most a year after --from)')
      .option('--title <title>', 'title of the briefing')
      .option(
        '--format <format>',
        'markdown, html or pdf',
        (v) => {
          if (!(FORMATS as readonly string[]).includes(v))
            throw new InvalidArgumentError('must be markdown, html or pdf');
          return v;
        },
        'pdf',
      )
      .requiredOption('-o, --output <file>', 'file to write'),
  ).action(
    async (
      o: StoreOpts & { user: string; from: string; to: string; title?: string; format: Format; output: string },
    ) => {
      const parsed = CreateBriefingBody.safeParse({
        from: o.from,
        to: o.to,
        format: o.format,
        ...(o.title ? { title: o.title } : {}),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw validation(`--${issue.path.join('.')}`, issue.message);
      }
      const s = await open(o);
      try {
        const a = await actorByName(s.db, o.user);
        const b = await s.briefings.create({ org: a.org, orgKind: a.orgKind, by: a.userName }, parsed.data);
        const doc = await s.briefings.document(a.org, b.id, o.format);
        await writeFile(o.output, doc.body);
        process.stdout.write(`${o.output}: ${b.id} TLP:${b.tlp.toUpperCase()} sha256 ${b.sha256}\n`);
      } finally {
        await s.close();
      }
    },
  );
}
