/**
 * UTF-8 text with free room in front of it and a suffix after it, so that a prefix known only later
 * (a page envelope's head) can be written in place: the text, tens of kilobytes, is never copied
 * again. Owns its memory (not Node's shared pool), so it can move between threads.
 */
export class Framed {
  private constructor(
    readonly buffer: Buffer,
    private readonly room: number,
    private readonly onRelease?: (memory: ArrayBuffer) => void,
  ) {}

  /** `memory` may offer a recycled ArrayBuffer of at least the size asked (see release). */
  static encode(text: string, room: number, suffix = '', memory?: (size: number) => ArrayBuffer | undefined): Framed {
    const size = room + Buffer.byteLength(text) + Buffer.byteLength(suffix);
    const recycled = memory?.(size);
    const buffer = recycled ? Buffer.from(recycled, 0, size) : Buffer.allocUnsafeSlow(size);
    const end = room + buffer.write(text, room);
    buffer.write(suffix, end);
    return new Framed(buffer, room);
  }

  /**
   * `parts` joined with commas, `bytes` their UTF-8 length (without the commas), written one by one:
   * the joined text never exists as one string (for a page of large objects, that string alone was
   * as large as the page).
   */
  static encodeParts(
    parts: readonly string[],
    bytes: number,
    room: number,
    suffix = '',
    memory?: (size: number) => ArrayBuffer | undefined,
  ): Framed {
    const size = room + bytes + Math.max(0, parts.length - 1) + Buffer.byteLength(suffix);
    const recycled = memory?.(size);
    const buffer = recycled ? Buffer.from(recycled, 0, size) : Buffer.allocUnsafeSlow(size);
    let at = room;
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) buffer[at++] = 44;
      at += buffer.write(parts[i]!, at);
    }
    buffer.write(suffix, at);
    return new Framed(buffer, room);
  }

  /** One made by `encode` elsewhere (another thread), from its bytes; `onRelease` takes the memory back. */
  static of(buffer: Buffer, room: number, onRelease?: (memory: ArrayBuffer) => void): Framed {
    return new Framed(buffer, room, onRelease);
  }

  /**
   * Hands the memory back for reuse once nothing reads it any more (the response was written): the
   * reader thread then fills it again instead of allocating, and the HTTP thread's heap does not see
   * a new 70 KB external buffer per page (each of which counts towards a full garbage collection).
   */
  release(): void {
    const memory = this.buffer.buffer;
    if (this.onRelease && memory instanceof ArrayBuffer) this.onRelease(memory);
  }

  /** The text and suffix. */
  get body(): Buffer {
    return this.buffer.subarray(this.room);
  }

  /** The prefix, the text and the suffix: in place when the prefix fits the room, else copied. */
  withPrefix(prefix: string): Buffer {
    const n = Buffer.byteLength(prefix);
    if (n > this.room) return Buffer.concat([Buffer.from(prefix), this.body]);
    this.buffer.write(prefix, this.room - n);
    return this.buffer.subarray(this.room - n);
  }
}
