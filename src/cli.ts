#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from './platform/config.ts';
import { createServices, serve } from './main.ts';
import { DomainError } from './platform/errors.ts';
import { isRole, type Role } from './kernel/access/actor.ts';
import { silentLogger } from './platform/log.ts';
import { addTreatyCommands } from './contexts/treaty/treaty.cli.ts';
import { registerAuditCommands } from './contexts/audit/audit.cli.ts';
import { registerKnowledgeCommands } from './contexts/knowledge/knowledge.cli.ts';
import { registerPeerCommands } from './contexts/federation/federation.cli.ts';
import { registerSourcesCommands } from './contexts/sources/sources.cli.ts';
import { registerOutlookCommands } from './contexts/outlook/outlook.cli.ts';
import { registerSupportCommands } from './contexts/registers/registers.cli.ts';
import { registerBriefingCommands } from './contexts/briefings/briefing.cli.ts';

const program = new Command();
program
  .name('bulwark')
  .description('Bulwark: hybrid-threat intelligence sharing, treaty assessments and consensus decisions')
  .showHelpAfterError();

// Each option also reads its environment variable (docs/operations.md); a flag given on the command line wins.
const storeOptions = (c: Command): Command =>
  c
    .addOption(
      new Option('--data <dir>', 'data directory of the embedded SQLite store').env('BULWARK_DATA').default('./data'),
    )
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL (overrides --data)').env('DATABASE_URL'));

storeOptions(
  program
    .command('serve')
    .description('run the HTTP server (REST API, TAXII 2.1, live stream, console)')
    .addOption(new Option('--port <port>', 'TCP port').env('PORT').default('4700'))
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('127.0.0.1'))
    .addOption(new Option('--nats-url <url>', 'NATS JetStream URL for multi-instance events').env('NATS_URL'))
    .option('--demo', 'load the demo data set on a fresh store', false),
).action(
  async (o: { port: string; host: string; data: string; databaseUrl?: string; natsUrl?: string; demo: boolean }) => {
    const config = loadConfig({
      port: o.port,
      host: o.host,
      data: o.data,
      databaseUrl: o.databaseUrl,
      natsUrl: o.natsUrl,
      demo: o.demo,
    });
    const server = await serve(config);
    process.stdout.write(`Bulwark listening on ${server.url}\n`);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${signal}: finishing in-flight requests…\n`);
      server.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`shutdown failed: ${String(e)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  },
);

const user = program.command('user').description('manage users and API tokens');
storeOptions(
  user
    .command('add')
    .description('create a user of a member or partner organisation and print a new API token')
    .requiredOption('--member <code>', 'organisation code, e.g. PL')
    .requiredOption('--name <name>', 'user name')
    .option(
      '--role <role>',
      "analyst, admin (of its organisation's users) or operator (runs the node: metrics, peers)",
      (v) => {
        if (!isRole(v)) throw new InvalidArgumentError('must be analyst, admin or operator');
        return v;
      },
      'analyst',
    )
    .option('--json', 'print {"user": …, "token": …} as JSON', false),
).action(async (o: { member: string; name: string; role: Role; data: string; databaseUrl?: string; json: boolean }) => {
  const services = await createServices(loadConfig({ data: o.data, databaseUrl: o.databaseUrl }), {
    log: silentLogger,
    profile: 'one-shot',
  });
  try {
    const { user: u, token } = await services.users.create({ member: o.member, name: o.name, role: o.role });
    if (o.json) process.stdout.write(`${JSON.stringify({ user: u, token })}\n`);
    else
      process.stdout.write(
        `Created ${u.role} "${u.name}" of ${u.org}.\nAPI token (shown once; keep it secret):\n${token}\n`,
      );
  } finally {
    await services.close();
  }
});

registerAuditCommands(program, storeOptions);
// An import updates intel's views in its own transaction; its incidents are correlated at the next start.
// Import and export open the store through the composition root, so an import updates every derived view.
registerKnowledgeCommands(program, storeOptions, (o, profile) =>
  createServices(loadConfig({ data: o.data, databaseUrl: o.databaseUrl }), { log: silentLogger, profile }),
);

addTreatyCommands(program);

registerPeerCommands(program, storeOptions, async (o, fn) => {
  const services = await createServices(loadConfig({ data: o.data, databaseUrl: o.databaseUrl }), {
    log: silentLogger,
    profile: 'one-shot',
  });
  try {
    return await fn(services.federation.peers);
  } finally {
    await services.close();
  }
});

// Open sources: `bulwark ingest FILE|URL --member PL`.
registerSourcesCommands(program, storeOptions, async (o) => {
  const services = await createServices(loadConfig({ data: o.data, databaseUrl: o.databaseUrl }), {
    log: silentLogger,
    profile: 'one-shot',
  });
  return {
    documents: services.sources.documents,
    orgs: services.orgs,
    fetchAllowPrivate: services.config.fetchAllowPrivate,
    close: () => services.close(),
  };
});

registerOutlookCommands(program, storeOptions, async (o) => {
  const s = await createServices(loadConfig({ data: o.data, databaseUrl: o.databaseUrl }), {
    log: silentLogger,
    profile: 'one-shot',
  });
  return { outlook: s.outlook, close: () => s.close() };
});

registerSupportCommands(program, storeOptions, async (o) => {
  const s = await createServices(loadConfig({ data: o.data, databaseUrl: o.databaseUrl }), {
    log: silentLogger,
    profile: 'one-shot',
  });
  return { db: s.database.db, support: s.registers.support, close: () => s.close() };
});

registerBriefingCommands(program, storeOptions, async (o) => {
  const s = await createServices(loadConfig({ data: o.data, databaseUrl: o.databaseUrl }), {
    log: silentLogger,
    profile: 'one-shot',
  });
  return { db: s.database.db, briefings: s.briefings.briefings, close: () => s.close() };
});

export { program };

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof DomainError) process.stderr.write(`error: ${e.message}\n`);
  else process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(e instanceof DomainError ? 2 : 1);
});
