import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { BundleScanner, type ScannedItem } from './bundle-scanner.ts';
import { DEFAULT_LIMITS } from './validate.ts';

export type ScannedRawItem = { index: number; text: string; keys?: number } | { index: number; skipped: string };

/** Read size. Not larger: V8 allocates strings over about 128 KB one by one in fresh memory, and decoding
 * 1 MB chunks was 25 times slower per byte than 64 KB ones (a tenth of an import's parsing thread). */
const CHUNK = 1 << 16;

function newScanner(): BundleScanner {
  return new BundleScanner({ maxObjectBytes: DEFAULT_LIMITS.maxObjectBytes, maxDepth: DEFAULT_LIMITS.maxDepth });
}

function rawItem(item: ScannedItem): ScannedRawItem {
  if (item.kind !== 'object') return { index: item.index, skipped: item.reason };
  return item.keys === undefined
    ? { index: item.index, text: item.text }
    : { index: item.index, text: item.text, keys: item.keys };
}

/** Streams the objects of a STIX bundle from any readable byte stream (constant memory). */
export async function* scanBundleStream(
  stream: Readable | AsyncIterable<Buffer | string>,
  onBytes?: (n: number) => void,
): AsyncGenerator<ScannedRawItem> {
  const scanner = newScanner();
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes?.(buf.length);
    for (const item of scanner.push(decoder.write(buf))) yield rawItem(item);
  }
  for (const item of scanner.push(decoder.end())) yield rawItem(item);
  scanner.end();
}

export function scanBundleFile(path: string, onBytes?: (n: number) => void): AsyncGenerator<ScannedRawItem> {
  return scanBundleStream(createReadStream(path, { highWaterMark: CHUNK }), onBytes);
}

/**
 * The same scan of a bundle file with blocking reads, a batch at a time: for a worker thread, which
 * has nothing else to do meanwhile (PreparePool). Memory stays at one chunk plus one batch.
 */
export class BundleFileReader {
  private fd: number | undefined;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private readonly decoder = new StringDecoder('utf8');
  private readonly scanner = newScanner();
  private queue: ScannedRawItem[] = [];
  private head = 0;
  /** Bytes of the file read so far. */
  bytesRead = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }

  /** Up to `n` more elements; fewer only at the end of the file, then none. Throws on a malformed bundle. */
  next(n: number): ScannedRawItem[] {
    const out: ScannedRawItem[] = [];
    while (out.length < n) {
      if (this.head < this.queue.length) {
        out.push(this.queue[this.head++]!);
        continue;
      }
      if (this.fd === undefined) break;
      this.queue = [];
      this.head = 0;
      const got = readSync(this.fd, this.chunk, 0, CHUNK, null);
      if (got === 0) {
        this.close();
        for (const item of this.scanner.push(this.decoder.end())) this.queue.push(rawItem(item));
        this.scanner.end();
        continue;
      }
      this.bytesRead += got;
      for (const item of this.scanner.push(this.decoder.write(this.chunk.subarray(0, got))))
        this.queue.push(rawItem(item));
    }
    return out;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
