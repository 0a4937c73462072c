import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadSecretKey, SecretBox, SECRET_KEY_FILE } from './secrets.ts';

const KEY = 'k'.repeat(40);

describe('stored secrets', () => {
  it('seal and open round-trip; the text holds no part of the value', () => {
    const box = new SecretBox(KEY);
    const sealed = box.seal('bwk_secret-token', 'peer-1');
    expect(sealed).not.toContain('secret-token');
    expect(box.open(sealed, 'peer-1')).toBe('bwk_secret-token');
    expect(box.seal('x', 'peer-1')).not.toBe(box.seal('x', 'peer-1'));
  });

  it('refuses another key, another row, and a changed text', () => {
    const sealed = new SecretBox(KEY).seal('token', 'peer-1');
    expect(() => new SecretBox('z'.repeat(40)).open(sealed, 'peer-1')).toThrow(/cannot be decrypted/);
    expect(() => new SecretBox(KEY).open(sealed, 'peer-2')).toThrow(/cannot be decrypted/);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => new SecretBox(KEY).open(parts.join('.'), 'peer-1')).toThrow(/cannot be decrypted/);
    expect(() => new SecretBox(KEY).open('v0.a.b.c', 'peer-1')).toThrow(/unknown format/);
  });

  it('without BULWARK_SECRET_KEY generates a key into the data folder once (0600, a warning), then reads it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-secret-'));
    try {
      const lines: string[] = [];
      const log = pino({ level: 'warn' }, { write: (s: string) => lines.push(s) });
      const a = loadSecretKey({ secretKey: undefined, dataDir: dir }, log);
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(lines.join('')).toMatch(/BULWARK_SECRET_KEY is not set/);
      expect(statSync(join(dir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(loadSecretKey({ secretKey: undefined, dataDir: dir }, log)).toBe(a);
      expect(lines).toHaveLength(1);
      expect(readFileSync(join(dir, SECRET_KEY_FILE), 'utf8').trim()).toBe(a);
      expect(loadSecretKey({ secretKey: KEY, dataDir: dir }, log)).toBe(KEY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
