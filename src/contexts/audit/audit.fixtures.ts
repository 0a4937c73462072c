import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditAnchor } from './audit.anchor.ts';
import { keyring } from './audit.ts';

/** Test support: a fresh key and checkpoint folder; `remove` deletes the folder. */
export function testAnchor(oldKeys: string[] = []): AuditAnchor & { secret: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-anchor-'));
  const secret = randomBytes(32).toString('hex');
  return { ring: keyring(secret, oldKeys), dir, secret, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
