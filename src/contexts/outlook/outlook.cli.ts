import type { Command } from 'commander';
import { validation } from '../../platform/errors.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import type { Outlook } from './outlook.module.ts';
import type { PostureViewT, SetViewT } from './outlook.schema.ts';

type StoreOpts = { data: string; databaseUrl?: string };
export type OpenOutlook = (o: StoreOpts) => Promise<{ outlook: Outlook; close(): Promise<void> }>;

/** Whose view the command prints: an organisation's (--member), else the public one (TLP:CLEAR only). */
export function viewerOf(member: string | undefined): UserActor | null {
  if (member === undefined) return null;
  const org = ORGANISATIONS.find((x) => x.code === member.toUpperCase());
  if (!org) throw validation('--member', `no organisation with code ${member}`);
  return {
    kind: 'user',
    userId: 'cli',
    userName: `cli@${org.code}`,
    org: org.code,
    orgKind: org.kind,
    role: 'analyst',
  };
}

const pct = (p: number) => `${(100 * p).toFixed(1).padStart(5)} %`;

/** The text form: probabilities with a bar, then each member's expected threat, readiness and top driver. */
export function formatShow(set: SetViewT, posture: PostureViewT): string {
  const width = Math.max(...set.scenarios.map((s) => s.title.length));
  const lines = [
    `${set.title} (${set.id})`,
    `${set.question} Horizon ${set.horizon}; ${set.observations.length} observations; ${set.tlp.toUpperCase()} by ${set.author}`,
    '',
    ...set.scenarios.map(
      (s) =>
        `  ${s.title.padEnd(width)}  ${pct(s.probability)}  ${'#'.repeat(Math.round(s.probability * 40))} (prior ${pct(s.prior).trim()})`,
    ),
    '',
  ];
  if (posture.members.length === 0) lines.push('  no impact matrix yet');
  for (const m of posture.members) {
    const top = m.drivers[0];
    lines.push(
      `  ${m.member}  threat ${m.expectedThreat.toFixed(2)}  ${m.readiness.padEnd(9)}  driven by ${top ? `${top.scenario} (${top.contribution.toFixed(2)})` : '-'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `bulwark outlook show SET [--member CODE] [--json]`: a set's probabilities and the members' posture. */
export function registerOutlookCommands(
  program: Command,
  storeOptions: (c: Command) => Command,
  open: OpenOutlook,
): void {
  const outlook = program.command('outlook').description('scenario sets, posture, forecasts, ACH');
  storeOptions(
    outlook
      .command('show')
      .description("print a scenario set's probabilities and each member's posture")
      .argument('<set>', 'scenario set id (bulwark-scenario-set--…)')
      .option('--member <code>', 'read as this organisation (default: the public view, TLP:CLEAR only)')
      .option('--json', 'print {"set": …, "posture": …} as JSON', false),
  ).action(async (id: string, o: StoreOpts & { member?: string; json: boolean }) => {
    const viewer = viewerOf(o.member);
    const s = await open(o);
    try {
      const set = await s.outlook.scenarios.get(viewer, id);
      const posture = await s.outlook.scenarios.posture(viewer, id);
      process.stdout.write(o.json ? `${JSON.stringify({ set, posture })}\n` : formatShow(set, posture));
    } finally {
      await s.close();
    }
  });
}
