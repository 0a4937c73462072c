import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import { AuditRepository } from './audit.repository.ts';
import { loadAuditAnchor } from './audit.anchor.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');

async function verifyCli(dir: string, json: boolean): Promise<{ code: number; stdout: string }> {
  try {
    const r = await run(
      process.execPath,
      ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'audit', 'verify', '--data', dir, ...(json ? ['--json'] : [])],
      { cwd: root },
    );
    return { code: 0, stdout: r.stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

describe('bulwark audit verify', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-audit-'));
    const d = await openDatabase({ dataDir: dir });
    // The key is generated into the data folder, where the command finds it (no BULWARK_AUDIT_KEY).
    const audit = new AuditRepository(
      d.db,
      d.dialect,
      loadAuditAnchor({ auditKey: undefined, auditOldKeys: [], dataDir: dir }, silentLogger, true),
      silentLogger,
    );
    await audit.start();
    for (let i = 1; i <= 3; i++)
      await d.db
        .transaction()
        .execute((trx) =>
          audit.append(
            trx,
            { actor: 'user:a@PL', action: 'position', subject: 'p', data: { i } },
            new Date().toISOString(),
          ),
        );
    await audit.checkpoint();
    await d.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on an intact chain and 1 naming the seq of an altered row', async () => {
    const ok = await verifyCli(dir, true);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, entries: 3 });

    const d = await openDatabase({ dataDir: dir });
    await sql`update audit_log set data = '{"i":20}' where seq = 2`.execute(d.db);
    await d.close();
    const bad = await verifyCli(dir, false);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/BROKEN at seq 2/);
  });
});
