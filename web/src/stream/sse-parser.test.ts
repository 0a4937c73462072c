import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SseParser, type SseMessage } from './sse-parser.ts';

function parse(chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
  const messages: SseMessage[] = [];
  const parser = new SseParser((m) => messages.push(m));
  for (const c of chunks) parser.push(c);
  return { messages, parser };
}

describe('SseParser', () => {
  it('parses id, event and multi-line data, and dispatches on a blank line only', () => {
    const { messages } = parse([
      'id: 7\nevent: incident.created\ndata: {"id":\ndata: "incident--1"}\n\n',
      'data: pending',
    ]);
    expect(messages).toEqual([{ id: '7', event: 'incident.created', data: '{"id":\n"incident--1"}' }]);
  });

  it('defaults the event name to "message", ignores comments and unknown fields', () => {
    const { messages } = parse([': heartbeat\n\nfoo: bar\ndata:x\n\n']);
    expect(messages).toEqual([{ id: '', event: 'message', data: 'x' }]);
  });

  it('keeps the last event id across messages and ignores ids containing NUL', () => {
    const { messages, parser } = parse(['id: 1\ndata: a\n\ndata: b\n\nid: 2\u00003\ndata: c\n\n']);
    expect(messages.map((m) => m.id)).toEqual(['1', '1', '1']);
    expect(parser.lastId).toBe('1');
  });

  it('accepts CRLF, CR and LF line endings, also split across chunks', () => {
    const { messages } = parse(['id: 1\r', '\ndata: a\r\r', 'id: 2\rdata: b\n', '\n']);
    expect(messages).toEqual([
      { id: '1', event: 'message', data: 'a' },
      { id: '2', event: 'message', data: 'b' },
    ]);
  });

  it('strips one leading space of a value only, and a leading BOM of the stream', () => {
    const { messages } = parse(['\uFEFFdata:  two spaces\n\n']);
    expect(messages[0]!.data).toBe(' two spaces');
  });

  it('reads retry only when it is all digits', () => {
    expect(parse(['retry: 2500\n\n']).parser.retryMs).toBe(2500);
    expect(parse(['retry: 25x\n\n']).parser.retryMs).toBeUndefined();
  });

  it('does not dispatch an event with no data lines', () => {
    const { messages } = parse(['event: ping\n\nid: 9\n\n']);
    expect(messages).toEqual([]);
  });

  it('refuses a line that grows past the limit', () => {
    const p = new SseParser(() => undefined, 16);
    expect(() => p.push('data: ' + 'x'.repeat(40))).toThrow(/longer than 16/);
  });

  it('yields the same messages however the input is split into chunks', () => {
    const text = 'id: 1\nevent: a\ndata: x\r\n\r\n: c\rdata: y\ndata: z\n\nid: 3\r\ndata: w\n\n';
    const whole = parse([text]).messages;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), (cuts) => {
        const sorted = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const c of sorted) {
          chunks.push(text.slice(prev, c));
          prev = c;
        }
        chunks.push(text.slice(prev));
        expect(parse(chunks).messages).toEqual(whole);
      }),
    );
    expect(whole).toHaveLength(3);
  });
});
