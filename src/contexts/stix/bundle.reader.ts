import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { BundleScanner } from './bundle-scanner.ts';
import { DEFAULT_LIMITS } from './validate.ts';

export type ScannedRawItem = { index: number; text: string } | { index: number; skipped: string };

/** Streams the objects of a STIX bundle from any readable byte stream (constant memory). */
export async function* scanBundleStream(stream: Readable | AsyncIterable<Buffer | string>, onBytes?: (n: number) => void): AsyncGenerator<ScannedRawItem> {
  const scanner = new BundleScanner({ maxObjectBytes: DEFAULT_LIMITS.maxObjectBytes, maxDepth: DEFAULT_LIMITS.maxDepth });
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes?.(buf.length);
    for (const item of scanner.push(decoder.write(buf))) {
      yield item.kind === 'object' ? { index: item.index, text: item.text } : { index: item.index, skipped: item.reason };
    }
  }
  for (const item of scanner.push(decoder.end())) {
    yield item.kind === 'object' ? { index: item.index, text: item.text } : { index: item.index, skipped: item.reason };
  }
  scanner.end();
}

export function scanBundleFile(path: string, onBytes?: (n: number) => void): AsyncGenerator<ScannedRawItem> {
  return scanBundleStream(createReadStream(path, { highWaterMark: 1 << 20 }), onBytes);
}
