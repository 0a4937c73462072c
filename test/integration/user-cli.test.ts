import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (dir: string, ...a: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...a, '--data', dir], {
    encoding: 'utf8',
    env: { ...process.env, BULWARK_DATA: '' },
  });

describe('bulwark user add --role', () => {
  it('creates an operator, and refuses a role that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-user-cli-'));
    const op = cli(dir, 'user', 'add', '--member', 'PL', '--name', 'node-ops', '--role', 'operator', '--json');
    expect(op.status, op.stderr).toBe(0);
    const out = JSON.parse(op.stdout) as { user: { role: string; org: string }; token: string };
    expect(out.user).toMatchObject({ role: 'operator', org: 'PL' });
    expect(out.token).toMatch(/^bwk_/);
    const bad = cli(dir, 'user', 'add', '--member', 'PL', '--name', 'x', '--role', 'root', '--json');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/analyst, admin or operator/);
  });
});
