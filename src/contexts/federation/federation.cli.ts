import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { systemActor } from '../../kernel/access/actor.ts';
import type { PeerService } from './peer.service.ts';
import type { PeerViewT } from './peer.schema.ts';

type StoreOpts = { data: string; databaseUrl?: string };
/** Opens the store (one-shot), runs `fn` with the peers, closes it. */
export type WithPeers = <T>(o: StoreOpts, fn: (peers: PeerService) => Promise<T>) => Promise<T>;

const NODE = systemActor('operator-cli');

/**
 * `bulwark peer add|list|remove`: whoever runs the command on the node holds its data folder or database,
 * so acts as its operator. The token is read from a file (never an argument: process lists show those).
 */
export function registerPeerCommands(program: Command, storeOptions: (c: Command) => Command, withPeers: WithPeers) {
  const peer = program.command('peer').description('manage the peer nodes this node pulls from (federation)');
  storeOptions(
    peer
      .command('add')
      .description('add a peer node (its TAXII API root and the user this node signs in as there)')
      .requiredOption('--name <name>', 'a name for the peer, unique on this node')
      .requiredOption('--url <url>', "the peer's TAXII API root, e.g. https://pl.example/taxii2/alliance/")
      .requiredOption('--user <user>', 'the user this node signs in as on the peer')
      .requiredOption('--token-file <file>', "a file holding that user's API token")
      .option('--authors <codes>', 'organisations whose objects the peer may deliver, e.g. PL,LT (default: any)')
      .option('--ca-file <file>', "a certificate (PEM) to pin for an https peer (default: the system's CA store)")
      .option('--json', 'print the peer as JSON', false),
  ).action(
    async (
      o: StoreOpts & {
        name: string;
        url: string;
        user: string;
        tokenFile: string;
        authors?: string;
        caFile?: string;
        json: boolean;
      },
    ) => {
      const token = (await readFile(o.tokenFile, 'utf8')).trim();
      const ca = o.caFile ? await readFile(o.caFile, 'utf8') : undefined;
      const added = await withPeers(o, (peers) =>
        peers.add(NODE, {
          name: o.name,
          url: o.url,
          user: o.user,
          token,
          ...(o.authors !== undefined ? { authors: o.authors.split(',') } : {}),
          ...(ca !== undefined ? { ca } : {}),
        }),
      );
      process.stdout.write(o.json ? `${JSON.stringify(added)}\n` : `Added peer ${added.name} (${added.id}).\n`);
    },
  );
  storeOptions(
    peer.command('list').description('list peers and their state').option('--json', 'as JSON', false),
  ).action(async (o: StoreOpts & { json: boolean }) => {
    const items = await withPeers(o, (peers) => peers.list(NODE));
    process.stdout.write(o.json ? `${JSON.stringify({ items })}\n` : items.map(line).join(''));
  });
  storeOptions(peer.command('remove').description('remove a peer (by id or name)').argument('<peer>')).action(
    async (id: string, o: StoreOpts) => {
      await withPeers(o, (peers) => peers.remove(NODE, id));
      process.stdout.write(`Removed peer ${id}.\n`);
    },
  );
}

function line(p: PeerViewT): string {
  const authors = p.authors ? p.authors.join(',') : 'any';
  return `${p.name}\t${p.url}\tauthors=${authors}\tstate=${p.state}\tcursor=${p.cursor ?? '-'}\treceived=${p.received}\trefused=${p.refused}${p.lastError ? `\terror=${p.lastError}` : ''}\n`;
}
