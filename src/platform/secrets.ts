import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log.ts';

/** The generated key's file in the data folder (used when BULWARK_SECRET_KEY is not set). */
export const SECRET_KEY_FILE = 'secret.key';

const FORMAT = 'v1';

/**
 * Encrypts the secrets a store keeps (peer tokens) under BULWARK_SECRET_KEY: AES-256-GCM with a key
 * derived by HKDF-SHA-256, a fresh 96-bit nonce per value, and the row the value belongs to as
 * associated data, so that a ciphertext copied into another row (another peer) does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'bulwark', 'bulwark stored secrets v1', 32));
  }

  /** `v1.<nonce>.<tag>.<ciphertext>` (base64url). */
  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return [FORMAT, iv, c.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The plain value; throws when the key, the row or the text is not the one it was sealed with. */
  open(sealed: string, boundTo: string): string {
    const [format, iv, tag, body] = sealed.split('.');
    if (format !== FORMAT || iv === undefined || tag === undefined || body === undefined)
      throw new Error('stored secret: unknown format');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(boundTo));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new Error('stored secret: cannot be decrypted with this BULWARK_SECRET_KEY');
    }
  }
}

/**
 * The key from configuration; without BULWARK_SECRET_KEY it is read from the data folder, generated
 * there (mode 0600, with a warning) when missing, as the audit key is (audit.anchor.ts).
 */
export function loadSecretKey(c: { secretKey: string | undefined; dataDir: string }, log: Logger): string {
  if (c.secretKey) return c.secretKey;
  const file = join(c.dataDir, SECRET_KEY_FILE);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(c.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    log.warn(
      { file },
      'BULWARK_SECRET_KEY is not set; generated a key for stored secrets (peer tokens) into the data folder (every instance of one store needs the same key; see docs/operations.md)',
    );
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return readFileSync(file, 'utf8').trim(); // another process generated it first
  }
}
