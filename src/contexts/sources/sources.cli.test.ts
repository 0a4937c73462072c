import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { testSources } from './sources.fixtures.ts';
import { kindOf, registerSourcesCommands } from './sources.cli.ts';

describe('bulwark ingest', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    vi.restoreAllMocks();
  });

  it('tells feeds, pages and texts apart', () => {
    expect(kindOf('<?xml version="1.0"?><rss></rss>')).toBe('feed');
    expect(kindOf('{"version":"https://jsonfeed.org/version/1.1","items":[]}')).toBe('feed');
    expect(kindOf('<!DOCTYPE html><html><body>x</body></html>')).toBe('html');
    expect(kindOf('NATO said so.')).toBe('text');
  });

  it('stores every item of a feed file for the member, with its TLP', async () => {
    database = await openDatabase({ sqliteFile: ':memory:' });
    const orgs = new OrganisationRepository(database.db);
    await orgs.seed();
    const s = testSources(database, systemClock);
    const file = join(mkdtempSync(join(tmpdir(), 'bulwark-ingest-')), 'feed.xml');
    writeFileSync(
      file,
      '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><link>http://w.test/</link><description>d</description>' +
        '<item><guid>a</guid><title>One</title><description>Foreign Minister Kaja Kallas said in Tallinn that the sanctions must continue.</description></item>' +
        '<item><guid>b</guid><title>Two</title><description>Deputy Secretary General Mircea Geoană said NATO was ready.</description></item>' +
        '</channel></rss>',
    );
    const program = new Command().exitOverride();
    registerSourcesCommands(
      program,
      (c) => c.option('--data <dir>', 'd', '.'),
      async () => ({
        documents: s.documents,
        orgs,
        fetchAllowPrivate: false,
        close: async () => undefined,
      }),
    );
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    await program.parseAsync(['ingest', file, '--member', 'pl', '--tlp', 'green', '--json'], { from: 'user' });
    const { documents } = JSON.parse(out.join('')) as {
      documents: Array<{ title: string; author: string; tlp: string }>;
    };
    expect(documents.map((d) => [d.title, d.author, d.tlp])).toEqual([
      ['One', 'PL', 'green'],
      ['Two', 'PL', 'green'],
    ]);
  });
});
