import { isRejection, jsonText, type PreparedBatch, type PreparedObject, type Rejection } from './knowledge.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';

/**
 * A prepared batch as it crosses from the preparing thread: one array per field and the JSON texts as
 * one buffer of UTF-8, moved rather than copied. Arrays of strings and one buffer cost the receiving
 * thread about a seventh of what thousands of small objects cost to deserialise (bench/RESULTS.md),
 * and it never decodes or collects the JSON: it binds the bytes.
 */
export interface PackedBatch {
  /** Per element, in order: true for a prepared object, false for a rejection. */
  prepared: boolean[];
  rejections: Rejection[];
  index: number[];
  id: string[];
  version: string[];
  type: string[];
  specVersion: string[];
  versionKey: string[];
  tlp: Tlp[];
  audience: string[];
  /** End of each object's JSON in `buffer` (each starts where the one before ends). */
  jsonEnd: Int32Array;
  buffer: ArrayBuffer;
  bytesRead?: number;
}

export function packBatch(results: ReadonlyArray<PreparedObject | Rejection>, bytesRead?: number): PackedBatch {
  const objects = results.filter((p): p is PreparedObject => !isRejection(p));
  const texts = objects.map((p) => jsonText(p.json));
  // Each text's UTF-8 length first, then each written in place: joining the batch into one string first cost
  // twice as much (a string of a megabyte or more is allocated in fresh memory).
  const jsonEnd = new Int32Array(objects.length);
  let total = 0;
  for (let i = 0; i < texts.length; i++) jsonEnd[i] = total += Buffer.byteLength(texts[i]!, 'utf8');
  const buffer = new ArrayBuffer(total);
  const bytes = Buffer.from(buffer);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    // A text of one byte per character is ASCII (the usual case): copied as Latin-1, without UTF-8 encoding.
    at += jsonEnd[i]! - at === t.length ? bytes.write(t, at, 'latin1') : bytes.write(t, at, 'utf8');
  }
  return {
    prepared: results.map((p) => !isRejection(p)),
    rejections: results.filter(isRejection),
    index: objects.map((p) => p.index),
    id: objects.map((p) => p.id),
    version: objects.map((p) => p.version),
    type: objects.map((p) => p.type),
    specVersion: objects.map((p) => p.specVersion),
    versionKey: objects.map((p) => p.versionKey),
    tlp: objects.map((p) => p.tlp),
    audience: objects.map((p) => p.audience),
    jsonEnd,
    buffer,
    ...(bytesRead !== undefined ? { bytesRead } : {}),
  };
}

/** The batch again, each object's `json` a view of the moved buffer. */
export function unpackBatch(b: PackedBatch): PreparedBatch {
  const results: Array<PreparedObject | Rejection> = [];
  let o = 0;
  let r = 0;
  let start = 0;
  for (const isObject of b.prepared) {
    if (!isObject) {
      results.push(b.rejections[r++]!);
      continue;
    }
    const end = b.jsonEnd[o]!;
    results.push({
      index: b.index[o]!,
      id: b.id[o]!,
      version: b.version[o]!,
      type: b.type[o]!,
      specVersion: b.specVersion[o]!,
      versionKey: b.versionKey[o]!,
      json: new Uint8Array(b.buffer, start, end - start),
      tlp: b.tlp[o]!,
      audience: b.audience[o]!,
    });
    start = end;
    o++;
  }
  return { results, ...(b.bytesRead !== undefined ? { bytesRead: b.bytesRead } : {}) };
}
