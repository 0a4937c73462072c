import { describe, expect, it } from 'vitest';
import { Framed } from './framed.ts';

describe('Framed', () => {
  it('puts a prefix in front without copying the text, and copies when the prefix is longer than the room', () => {
    const text = `"é",${'x'.repeat(10_000)}`;
    const f = Framed.encode(text, 16, ']}');
    expect(f.body.toString()).toBe(`${text}]}`);
    const out = f.withPrefix('{"a":[');
    expect(out.toString()).toBe(`{"a":[${text}]}`);
    expect(out.buffer).toBe(f.buffer.buffer); // the same memory
    const long = Framed.encode('1', 2, ']').withPrefix('[[[[');
    expect(long.toString()).toBe('[[[[1]');
  });

  it('owns its memory, so it can be moved to another thread', () => {
    const f = Framed.encode('small', 8);
    expect(f.buffer.byteOffset).toBe(0);
    expect(f.buffer.buffer.byteLength).toBe(f.buffer.byteLength);
  });
});
