import { afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { DomainError } from '../../platform/errors.ts';
import { addTreatyCommands } from './treaty.cli.ts';

describe('bulwark treaty (CLI)', () => {
  afterEach(() => vi.restoreAllMocks());
  const run = async (...args: string[]): Promise<string> => {
    const program = new Command().exitOverride();
    addTreatyCommands(program);
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    await program.parseAsync(['node', 'bulwark', 'treaty', ...args]);
    return out;
  };

  it('assesses with --json exactly like the API', async () => {
    const out = await run(
      'assess',
      '--lat',
      '60.17',
      '--lon',
      '24.94',
      '--date',
      '2023-04-04',
      '--party',
      'FI',
      '--target',
      'territory',
      '--nature',
      'armed-attack',
      '--json',
    );
    expect(JSON.parse(out)).toMatchObject({
      article5: 'covered',
      article4: 'available',
      partyIsMember: true,
      inTreatyArea: true,
      area: 'article-6-i-europe',
    });
  });

  it('prints a readable assessment and the members on a date', async () => {
    expect(
      await run(
        'assess',
        '--lat',
        '21.31',
        '--lon',
        '-157.86',
        '--date',
        '2024-01-01',
        '--party',
        'us',
        '--nature',
        'cyber',
      ),
    ).toMatch(/^Article 5: not-covered\nArticle 4: available/);
    const members = JSON.parse(await run('members', '--on', '2023-01-15', '--json'));
    expect(members.count).toBe(30);
    expect(await run('members', '--on', '2024-03-07')).toMatch(/^32 Parties on 2024-03-07/);
  });

  it('names the flag that was wrong', async () => {
    await expect(
      run('assess', '--lat', 'north', '--lon', '24.94', '--date', '2023-04-04', '--party', 'FI'),
    ).rejects.toMatchObject({ field: '--lat' });
    await expect(
      run('assess', '--lat', '60', '--lon', '24.94', '--date', '2023-04-04', '--party', 'FI', '--target', 'embassy'),
    ).rejects.toBeInstanceOf(DomainError);
    await expect(run('members', '--on', '15/01/2023')).rejects.toMatchObject({ field: '--on' });
  });
});
