import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Command, Option } from 'commander';
import { createServices } from '../../main.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/log.ts';
import { userOf } from '../council/council.fixtures.ts';
import { registerOutlookCommands } from './outlook.cli.ts';
import { IMPACTS, MOBILISATION, WAR_SET } from './outlook.fixtures.ts';

describe('bulwark outlook show (CLI)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-outlook-cli-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = () => createServices(loadConfig({ data: dir }), { log: silentLogger, profile: 'one-shot' });
  const run = async (...args: string[]): Promise<string> => {
    const program = new Command().exitOverride();
    registerOutlookCommands(
      program,
      (c) => c.addOption(new Option('--data <dir>').default(dir)).addOption(new Option('--database-url <url>')),
      async () => {
        const s = await open();
        return { outlook: s.outlook, close: () => s.close() };
      },
    );
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    await program.parseAsync(['node', 'bulwark', 'outlook', 'show', ...args]);
    return out;
  };

  it('prints the probabilities and posture the API computes, as text and as JSON; hidden sets are not found', async () => {
    const s = await open();
    const pl = userOf('PL');
    const set = await s.outlook.scenarios.create(pl, WAR_SET);
    await s.outlook.scenarios.addSignpost(pl, set.id, MOBILISATION);
    await s.outlook.scenarios.putImpacts(pl, set.id, IMPACTS);
    await s.outlook.scenarios.addObservation(pl, set.id, {
      signpost: 'mobilisation',
      observed: true,
      confidence: 1,
      observedAt: '2026-05-01T00:00:00Z',
    });
    const api = await s.outlook.scenarios.get(pl, set.id);
    const posture = await s.outlook.scenarios.posture(pl, set.id);
    await s.close();

    const json = JSON.parse(await run(set.id, '--member', 'LT', '--json')) as {
      set: typeof api;
      posture: typeof posture;
    };
    expect(json.set.scenarios).toEqual(api.scenarios);
    expect(json.posture).toEqual(posture);
    const text = await run(set.id, '--member', 'pl');
    expect(text).toContain('How the war in Ukraine ends');
    const p = api.scenarios.find((x) => x.key === 'aggressor-momentum')!.probability;
    expect(text).toContain(`${(100 * p).toFixed(1)} %`);
    expect(text).toMatch(/PL {2}threat \d\.\d\d {2}(normal|elevated|high|very-high)/);
    // AMBER: the public view and a partner do not see it
    await expect(run(set.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(run(set.id, '--member', 'UA')).rejects.toMatchObject({ code: 'not-found' });
    await expect(run(set.id, '--member', 'XX')).rejects.toMatchObject({ field: '--member' });
  });
});
