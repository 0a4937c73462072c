import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import type { Database } from '../../platform/db/database.ts';
import { DomainError, validation } from '../../platform/errors.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import type { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { isTlp, type Tlp } from '../../kernel/access/tlp.ts';
import { isValidType, parseMicros } from '../stix/stix.ts';
import type { KnowledgeService } from './knowledge.service.ts';
import { exportBundle } from './knowledge.export.ts';
import type { IngestReport } from './knowledge.ts';
import { assertAudience } from '../sharing/audience.service.ts';

type StoreOpts = { data: string; databaseUrl?: string };

/** What the import and export commands use of the application's services (built by the composition root). */
export interface StoreServices {
  database: Database;
  knowledge: KnowledgeService;
  orgs: OrganisationRepository;
  close(): Promise<void>;
}

/**
 * Opens the store the options name, with every service a write needs (intel's derived views follow an
 * import like every other write): `import` with the bulk writer's settings and a preparing thread.
 */
export type OpenStore = (o: StoreOpts, profile: 'import' | 'one-shot') => Promise<StoreServices>;

async function orgOrThrow(orgs: OrganisationRepository, code: string | undefined, flag: string) {
  if (!code) return undefined;
  const org = await orgs.get(code.toUpperCase());
  if (!org) throw validation(flag, `no organisation with code ${code}`);
  return org;
}

function summary(file: string, r: IngestReport): string {
  const lines = [
    `${file}: ${r.total} objects: ${r.accepted.length} accepted, ${r.duplicates.length} duplicates, ${r.rejected.length} rejected`,
  ];
  for (const x of r.rejected.slice(0, 20)) lines.push(`  rejected objects[${x.index}]: ${x.message}`);
  if (r.rejected.length > 20) lines.push(`  … and ${r.rejected.length - 20} more rejected`);
  return lines.join('\n');
}

export function registerKnowledgeCommands(
  program: Command,
  storeOptions: (c: Command) => Command,
  open: OpenStore,
): void {
  storeOptions(
    program
      .command('import')
      .description('import STIX 2.1 bundles (streamed; each file commits whole or not at all)')
      .argument('<files...>', 'bundle files')
      .requiredOption('--member <code>', 'organisation that authors the imported objects, e.g. PL')
      .option('--tlp <level>', 'TLP for objects without a TLP marking: clear, green, amber, amber+strict, red', 'amber')
      .option('--audience <codes>', 'comma-separated organisation codes to restrict to')
      .option('--strict', 'reject the whole file when any object is invalid', false)
      .option('--json', 'print one JSON summary per file', false),
  ).action(
    async (
      files: string[],
      o: StoreOpts & { member: string; tlp: string; audience?: string; strict: boolean; json: boolean },
    ) => {
      if (!isTlp(o.tlp))
        throw validation('--tlp', `"${o.tlp}" is not a TLP level (clear, green, amber, amber+strict, red)`);
      const services = await open(o, 'import');
      const { database, knowledge, orgs } = services;
      let failed = false;
      try {
        const org = (await orgOrThrow(orgs, o.member, '--member'))!;
        // Given, it names organisations of the store; "" or "," would otherwise import with no audience at all.
        const audience =
          o.audience === undefined
            ? undefined
            : o.audience
                .split(',')
                .map((s) => s.trim().toUpperCase())
                .filter(Boolean);
        await assertAudience(database.db, audience, { field: '--audience' });
        for (const file of files) {
          const size = (await stat(file)).size;
          const bar =
            process.stderr.isTTY && !o.json
              ? new SingleBar(
                  { format: `${file} [{bar}] {percentage}% | {objects} objects`, hideCursor: true },
                  Presets.shades_classic,
                )
              : undefined;
          bar?.start(size, 0, { objects: 0 });
          try {
            const report = await knowledge.repo.db.transaction().execute(async (trx) => {
              // The preparing thread reads and scans the file itself; this thread only writes.
              const r = await knowledge.ingestWithin(
                trx,
                systemActor('import'),
                { file },
                {
                  asOrg: org.code,
                  defaultTlp: o.tlp as Tlp,
                  audience,
                  onProgress: (n, bytes) => bar?.update(bytes ?? 0, { objects: n }),
                },
              );
              if (o.strict && r.rejected.length > 0)
                throw new DomainError(
                  'validation',
                  `${r.rejected.length} invalid objects; nothing imported (--strict)`,
                );
              return r;
            });
            bar?.update(size);
            bar?.stop();
            process.stdout.write(
              o.json
                ? `${JSON.stringify({ file, total: report.total, accepted: report.accepted.length, duplicates: report.duplicates.length, rejected: report.rejected })}\n`
                : `${summary(file, report)}\n`,
            );
            database.checkpoint?.(); // committed above; now the log goes into the database file (checkpoints: 'manual')
          } catch (e) {
            bar?.stop();
            failed = true;
            const msg = e instanceof Error ? e.message : String(e);
            process.stdout.write(
              o.json ? `${JSON.stringify({ file, error: msg })}\n` : `${file}: not imported: ${msg}\n`,
            );
          }
        }
      } finally {
        await services.close();
      }
      if (failed) process.exitCode = 1;
    },
  );

  storeOptions(
    program
      .command('export')
      .description('write a STIX 2.1 bundle of what an organisation may read (without --member: TLP:CLEAR only)')
      .option('--member <code>', 'organisation whose view to export')
      .option('--type <types>', 'comma-separated STIX types')
      .option('--since <timestamp>', 'only objects added after this time')
      .option('--all-versions', 'every version, not only the latest', false)
      .option('-o, --output <file>', 'write to a file instead of standard output'),
  ).action(
    async (
      o: StoreOpts & { member?: string; type?: string; since?: string; allVersions: boolean; output?: string },
    ) => {
      const types = o.type ? o.type.split(',').map((t) => t.trim()) : undefined;
      for (const t of types ?? []) if (!isValidType(t)) throw validation('--type', `"${t}" is not a STIX type`);
      const sinceUs = o.since ? parseMicros(o.since) : undefined;
      if (o.since && sinceUs === undefined) throw validation('--since', 'must be a timestamp YYYY-MM-DDTHH:MM:SSZ');
      const services = await open(o, 'one-shot');
      const { knowledge, orgs } = services;
      try {
        const org = await orgOrThrow(orgs, o.member, '--member');
        const out = o.output ? createWriteStream(o.output) : process.stdout;
        const reader = org
          ? ({ kind: 'org', org: org.code, orgKind: org.kind } as const)
          : ({ kind: 'anonymous' } as const);
        for await (const chunk of exportBundle(knowledge, { reader, types, sinceUs, allVersions: o.allVersions })) {
          if (!out.write(chunk)) await once(out, 'drain');
        }
        if (o.output) await new Promise<void>((resolve) => out.end(resolve));
      } finally {
        await services.close();
      }
    },
  );
}
