import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../platform/log.ts';
import { keyring, type AuditKeyring, type Checkpoint } from './audit.ts';

/**
 * What anchors the audit chain outside the database: the keyring (BULWARK_AUDIT_KEY, retired keys in
 * BULWARK_AUDIT_OLD_KEYS) and the folder holding the signed checkpoints (the data folder, also for
 * PostgreSQL stores). Someone who can write the database but not this folder cannot rewrite or
 * shorten the chain unnoticed.
 */
export interface AuditAnchor {
  ring: AuditKeyring;
  dir: string;
}

/** The generated key's file in the data folder (used when BULWARK_AUDIT_KEY is not set). */
export const KEY_FILE = 'audit.key';

/**
 * The keyring from configuration. Without BULWARK_AUDIT_KEY the key is read from the data folder,
 * generated there (mode 0600, with a warning) when `create` and missing. A generated key that an
 * explicit key replaced stays usable for verification (rotation away from the generated key).
 */
export function loadAuditAnchor(
  c: { auditKey: string | undefined; auditOldKeys: readonly string[]; dataDir: string },
  log: Logger,
  create: boolean,
): AuditAnchor {
  const file = join(c.dataDir, KEY_FILE);
  let stored: string | undefined;
  try {
    stored = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (c.auditKey)
    return { ring: keyring(c.auditKey, [...c.auditOldKeys, ...(stored ? [stored] : [])]), dir: c.dataDir };
  if (!stored) {
    if (!create)
      throw new Error(`audit: no key: set BULWARK_AUDIT_KEY or run with the data folder holding ${KEY_FILE} (${file})`);
    mkdirSync(c.dataDir, { recursive: true });
    stored = randomBytes(32).toString('hex');
    try {
      writeFileSync(file, `${stored}\n`, { mode: 0o600, flag: 'wx' });
      log.warn(
        { file },
        'audit: BULWARK_AUDIT_KEY is not set; generated an audit key into the data folder (keep a copy apart from the database; see docs/operations.md)',
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      stored = readFileSync(file, 'utf8').trim(); // another process generated it first
    }
  }
  return { ring: keyring(stored, c.auditOldKeys), dir: c.dataDir };
}

/** The signed checkpoint of one store, a small JSON file replaced atomically. */
export class CheckpointFile {
  readonly path: string;
  constructor(
    dir: string,
    readonly store: string,
  ) {
    this.path = join(dir, 'audit', `${store}.checkpoint.json`);
  }

  read(): Checkpoint | undefined {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Checkpoint;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Replaces the file atomically (temporary file, fsync, rename), off the event loop. */
  async write(c: Checkpoint): Promise<void> {
    await mkdir(join(this.path, '..'), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const f = await open(tmp, 'w', 0o600);
    try {
      await f.writeFile(`${JSON.stringify(c, null, 1)}\n`);
      await f.sync();
    } finally {
      await f.close();
    }
    await rename(tmp, this.path);
  }
}
