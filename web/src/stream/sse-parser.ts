/**
 * An incremental parser for the text/event-stream format (WHATWG HTML, "Server-sent events",
 * 9.2.6), fed with arbitrary chunks of decoded text. Linear in its input: no regular
 * expressions, one pass, a bounded line buffer (a line longer than maxLineChars is an error,
 * so a hostile server cannot make the console grow without bound).
 */
export interface SseMessage {
  /** The last event id in force when the message was dispatched ('' when none was ever set). */
  id: string;
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  private lastEventId = '';
  private sawCr = false;
  private first = true;
  /** The reconnection time the server asked for with `retry:`, if any. */
  retryMs: number | undefined;

  constructor(
    private readonly dispatch: (m: SseMessage) => void,
    private readonly maxLineChars = 1_048_576,
  ) {}

  get lastId(): string {
    return this.lastEventId;
  }

  /** Feeds decoded text; dispatches every complete message it contains. */
  push(chunk: string): void {
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* LF */) {
        if (this.sawCr && i === start && this.buffer === '') {
          // the LF of a CRLF pair whose CR ended the previous line
          this.sawCr = false;
          start = i + 1;
          continue;
        }
        this.sawCr = false;
        this.line(this.buffer + text.slice(start, i));
        this.buffer = '';
        start = i + 1;
      } else if (c === 13 /* CR */) {
        this.sawCr = true;
        this.line(this.buffer + text.slice(start, i));
        this.buffer = '';
        start = i + 1;
      } else {
        this.sawCr = false;
      }
    }
    this.buffer += text.slice(start);
    if (this.buffer.length > this.maxLineChars) {
      this.buffer = '';
      throw new Error(`event stream line longer than ${this.maxLineChars} characters`);
    }
  }

  /** Forgets a half-received message (the connection ended mid-message); keeps lastId. */
  reset(): void {
    this.buffer = '';
    this.data = [];
    this.eventType = '';
    this.sawCr = false;
    this.first = true;
  }

  private line(line: string): void {
    if (line === '') {
      this.flush();
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon < 0) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value;
        break;
      case 'retry': {
        if (value.length > 0 && value.length < 10 && isDigits(value)) this.retryMs = Number(value);
        break;
      }
      default:
        break;
    }
  }

  private flush(): void {
    if (this.data.length === 0) {
      this.eventType = '';
      return;
    }
    const m: SseMessage = { id: this.lastEventId, event: this.eventType || 'message', data: this.data.join('\n') };
    this.data = [];
    this.eventType = '';
    this.dispatch(m);
  }
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
