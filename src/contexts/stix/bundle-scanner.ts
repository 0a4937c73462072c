/**
 * Streaming reader of a STIX bundle (or TAXII envelope, or bare JSON array of objects). It is
 * fed text chunks of any size and yields the raw JSON text of each element of the top-level
 * `objects` array, so a 500 MB bundle never sits in memory. One pass, constant work per
 * character (inside strings the engine's indexOf finds the next quote or backslash; each stretch is
 * searched once), no regex. Elements too large or too deep are reported, not buffered.
 */
/**
 * An element, or why it was skipped. `keys` is set when the element's text has no whitespace outside
 * strings: it is then the number of keys in the text, which the caller compares with the parsed value's
 * to know the text has no duplicate keys and may be stored as it is (knowledge.ts, prepare).
 */
export type ScannedItem =
  { kind: 'object'; index: number; text: string; keys?: number } | { kind: 'skipped'; index: number; reason: string };

export interface ScannerLimits {
  maxObjectBytes: number;
  maxDepth: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;

function indexOrEnd(text: string, char: string, from: number): number {
  const i = text.indexOf(char, from);
  return i < 0 ? text.length : i;
}

export class BundleScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Depth at which the objects array's elements live, once found. */
  private elementDepth = -1;
  private objectsDone = false;
  private keyCapture: string[] | null = null;
  private lastKey = '';
  private expectingKey = false;
  private capturing = false;
  private captureParts: string[] = [];
  private captureBytes = 0;
  private captureTooBig = false;
  private captureTooDeep = false;
  /** Whitespace and colons outside strings in the element so far (ScannedItem `keys`). */
  private captureSpaces = 0;
  private captureColons = 0;
  private scalarElement = false;
  private index = 0;
  private started = false;
  private finished = false;

  constructor(private readonly limits: ScannerLimits) {}

  get objectsSeen(): number {
    return this.index;
  }

  /** Feeds a chunk; returns the items completed within it. */
  push(chunk: string): ScannedItem[] {
    const out: ScannedItem[] = [];
    let captureStart = this.capturing ? 0 : -1;
    // Next '"' and '\\' at or after the current position, found by the engine's own search and kept until
    // passed, so each stretch of the chunk is searched once: string contents are skipped, not walked.
    let nextQuote = -1;
    let nextBackslash = -1;
    for (let i = 0; i < chunk.length; i++) {
      if (this.inString && !this.escape && !this.keyCapture) {
        if (nextQuote < i) nextQuote = indexOrEnd(chunk, '"', i);
        if (nextBackslash < i) nextBackslash = indexOrEnd(chunk, '\\', i);
        i = Math.min(nextQuote, nextBackslash);
        if (i >= chunk.length) break;
      }
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyCapture) {
            this.lastKey = this.keyCapture.join('');
            this.keyCapture = null;
          }
        } else if (this.keyCapture && this.keyCapture.length < 64) this.keyCapture.push(chunk[i]!);
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        this.captureSpaces++;
        continue;
      }
      if (c === 58) this.captureColons++;
      if (this.capturing && this.scalarElement && this.depth === this.elementDepth && (c === 44 || c === RBRACKET)) {
        out.push(this.endCapture(chunk, captureStart, i));
        captureStart = -1;
      }
      if (this.finished) throw new Error(`unexpected content after the end of the bundle at character ${i}`);
      if (!this.started) {
        this.started = true;
        if (c === LBRACKET) this.elementDepth = 1;
        else if (c !== LBRACE)
          throw new Error('the file is not a JSON object or array (a STIX bundle starts with "{")');
      }
      if (this.depth === this.elementDepth && !this.capturing && c !== 44 && c !== RBRACKET) {
        // An element of the objects array begins.
        this.capturing = true;
        this.captureParts = [];
        this.captureBytes = 0;
        this.captureTooBig = false;
        this.captureTooDeep = false;
        this.captureSpaces = 0;
        this.captureColons = 0;
        this.scalarElement = c !== LBRACE;
        captureStart = i;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.expectingKey && this.elementDepth !== 1) this.keyCapture = [];
        continue;
      }
      if (this.depth === 1 && this.elementDepth !== 1) {
        if (c === 44) this.expectingKey = true;
        if (c === 58) this.expectingKey = false;
      }
      if (c === LBRACE || c === LBRACKET) {
        this.depth++;
        if (this.depth === 1 && c === LBRACE) this.expectingKey = true;
        if (
          this.depth === 2 &&
          c === LBRACKET &&
          this.lastKey === 'objects' &&
          !this.objectsDone &&
          this.elementDepth < 0
        )
          this.elementDepth = 2;
        if (this.capturing && this.depth - this.elementDepth > this.limits.maxDepth) this.captureTooDeep = true;
      } else if (c === RBRACE || c === RBRACKET) {
        this.depth--;
        if (this.depth < 0) throw new Error('unbalanced "}" or "]"');
        if (this.elementDepth > 0 && this.depth === this.elementDepth - 1 && c === RBRACKET) {
          this.objectsDone = true;
          this.elementDepth = -1;
        }
        if (this.depth === 0) this.finished = true;
      }
      if (
        this.capturing &&
        !this.scalarElement &&
        this.depth === this.elementDepth &&
        (c === RBRACE || c === RBRACKET)
      ) {
        out.push(this.endCapture(chunk, captureStart, i + 1));
        captureStart = -1;
      }
    }
    if (this.capturing && captureStart >= 0) this.appendCapture(chunk.slice(captureStart));
    return out;
  }

  /** Call at end of input: throws when the bundle was truncated. */
  end(): void {
    if (!this.started) throw new Error('the file is empty');
    if (this.inString || this.depth !== 0 || !this.finished)
      throw new Error(`truncated JSON: the input ended inside ${this.depth} open bracket(s)`);
  }

  private appendCapture(part: string): void {
    if (this.captureTooBig) return;
    this.captureBytes += part.length;
    if (this.captureBytes > this.limits.maxObjectBytes) {
      this.captureTooBig = true;
      this.captureParts = [];
      return;
    }
    this.captureParts.push(part);
  }

  private endCapture(chunk: string, start: number, end: number): ScannedItem {
    if (start >= 0) this.appendCapture(chunk.slice(start, end));
    this.capturing = false;
    const index = this.index++;
    if (this.captureTooBig)
      return { kind: 'skipped', index, reason: `object is larger than ${this.limits.maxObjectBytes} bytes` };
    if (this.captureTooDeep)
      return { kind: 'skipped', index, reason: `object is nested deeper than ${this.limits.maxDepth} levels` };
    if (this.scalarElement) return { kind: 'skipped', index, reason: 'element of "objects" is not a JSON object' };
    const text = this.captureParts.join('');
    this.captureParts = [];
    // Outside strings a colon follows each key and nothing else, so without whitespace the count is exact.
    return this.captureSpaces === 0
      ? { kind: 'object', index, text, keys: this.captureColons }
      : { kind: 'object', index, text };
  }
}
