import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventIdCodec } from './event-id.ts';

describe('EventIdCodec', () => {
  const codec = new EventIdCodec(randomBytes(16));

  it('gives every id back, and ids that show neither order nor distance (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (id) => {
        const text = codec.encode(id);
        expect(text).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(codec.decode(text)).toBe(id);
      }),
    );
    const texts = [41, 42, 43, 44, 45].map((id) => codec.encode(id));
    expect(new Set(texts).size).toBe(5);
    expect(texts.some((t) => /^\d+$/.test(t))).toBe(false);
  });

  it('enciphers each id alone: the same text every time, as a cipher made for that id alone gives', () => {
    const key = randomBytes(16);
    const shared = new EventIdCodec(key);
    const alone = (id: number) => {
      const block = Buffer.alloc(16);
      block.writeBigUInt64BE(BigInt(id), 0);
      const c = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
      return Buffer.concat([c.update(block), c.final()]).toString('base64url');
    };
    const ids = [7, 8, 7, 0, Number.MAX_SAFE_INTEGER, 7];
    const texts = ids.map((id) => shared.encode(id));
    expect(texts).toEqual(ids.map(alone));
    // Decoding between encodings, and a refused text, leave the next ones unchanged.
    expect(shared.decode('x'.repeat(22))).toBe('invalid');
    expect(ids.map((id) => shared.decode(shared.encode(id)))).toEqual(ids);
    expect(shared.encode(7)).toBe(texts[0]);
  });

  it('refuses what it did not give out: digits, other keys, tampered or malformed text', () => {
    expect(codec.decode('0')).toBe(0);
    for (const bad of [
      '1',
      '42',
      '12abc',
      '',
      'x'.repeat(22),
      `${codec.encode(7).slice(0, 21)}=`,
      codec.encode(7).slice(1),
      'é'.repeat(22),
    ])
      expect(codec.decode(bad), bad).toBe('invalid');
    expect(new EventIdCodec(randomBytes(16)).decode(codec.encode(7))).toBe('invalid');
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
          minLength: 22,
          maxLength: 22,
        }),
        (text) => {
          // A forged id deciphers to eight zero bytes once in 2^64.
          expect(codec.decode(text)).toBe('invalid');
        },
      ),
    );
  });
});
