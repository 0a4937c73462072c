import type { Command } from 'commander';
import type { z } from 'zod';
import { validation } from '../../platform/errors.ts';
import { CLAUSE_TEXT } from './assessment.ts';
import { loadTreatyGeography } from './geography.loader.ts';
import { AssessmentBody, MembersQuery } from './treaty.schema.ts';
import { noCouncil, TreatyService } from './treaty.service.ts';

/**
 * `bulwark treaty assess …` and `bulwark treaty members …`. They need no store: the treaty engine
 * is pure data and geography. Input goes through the same zod schemas as the REST API.
 */
function parse<T>(schema: z.ZodType<T>, value: unknown, flag: (path: string) => string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw validation(flag(issue.path.join('.')), issue.message);
}

const FLAG: Record<string, string> = {
  occurredAt: '--date',
  'location.lat': '--lat',
  'location.lon': '--lon',
  'target.party': '--party',
  'target.kind': '--target',
  nature: '--nature',
  on: '--on',
};

const num = (v: string): number | string => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

export function addTreatyCommands(
  program: Command,
  service: () => TreatyService = () => new TreatyService({ geography: loadTreatyGeography, mandates: noCouncil }),
): void {
  const treaty = program
    .command('treaty')
    .description('North Atlantic Treaty: Article 4/5 assessments and the membership timeline');
  treaty
    .command('assess')
    .description('assess an incident against Articles 4, 5 and 6')
    .requiredOption('--lat <deg>', 'latitude of the incident (WGS 84)')
    .requiredOption('--lon <deg>', 'longitude of the incident (WGS 84)')
    .requiredOption('--date <iso>', 'date or date-time of the incident, e.g. 2023-01-15')
    .requiredOption('--party <code>', 'the targeted party, ISO 3166 alpha-2 (e.g. FI)')
    .option('--target <kind>', 'territory | forces | vessel | aircraft', 'territory')
    .option('--nature <nature>', 'armed-attack | cyber | hybrid | space', 'armed-attack')
    .option('--json', 'print the assessment as JSON', false)
    .action(
      (o: { lat: string; lon: string; date: string; party: string; target: string; nature: string; json: boolean }) => {
        const body = parse(
          AssessmentBody,
          {
            occurredAt: o.date,
            location: { lat: num(o.lat), lon: num(o.lon) },
            target: { party: o.party.toUpperCase(), kind: o.target },
            nature: o.nature,
          },
          (p) => FLAG[p] ?? p,
        );
        const a = service().assess(body);
        if (o.json) {
          process.stdout.write(`${JSON.stringify(a)}\n`);
          return;
        }
        const lines = [
          `Article 5: ${a.article5}`,
          `Article 4: ${a.article4}`,
          `${body.target.party} a Party on ${a.location.date}: ${a.partyIsMember ? 'yes' : 'no'}`,
          `In the treaty area: ${a.inTreatyArea ? `yes — ${a.area ? CLAUSE_TEXT[a.area].label : ''} (${a.area ?? ''})` : 'no'}`,
          'Reasons:',
          ...a.reasons.map((r) => `  - [${r.rule}] ${r.text}\n      (${r.citation})`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      },
    );
  treaty
    .command('members')
    .description('list the Parties (and partners) on a date')
    .requiredOption('--on <date>', 'calendar date, YYYY-MM-DD')
    .option('--json', 'print as JSON', false)
    .action((o: { on: string; json: boolean }) => {
      const { on } = parse(MembersQuery, { on: o.on }, (p) => FLAG[p] ?? p);
      const m = service().members(on);
      if (o.json) process.stdout.write(`${JSON.stringify(m)}\n`);
      else
        process.stdout.write(
          `${m.count} Parties on ${m.on}:\n${m.parties.map((p) => `  ${p.code}  ${p.name.padEnd(16)} since ${p.joined ?? ''}`).join('\n')}\n`,
        );
    });
}
