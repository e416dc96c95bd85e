import { describe, expect, it } from 'vitest';
import { SseParser, readSse, type SseEvent } from './sse';

/** Feeds `pieces` one push at a time and collects every event. */
function parse(pieces: string[]): { events: SseEvent[]; unterminated: string | null; comments: number } {
  const p = new SseParser();
  const events = pieces.flatMap((s) => p.push(s));
  return { events, ...p.finish(), comments: p.comments };
}

/** Every way of cutting `text` into two pieces. */
const allSplits = (text: string): string[][] => Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);

const STREAM = ': keep-alive\r\n\r\ndata: {"a":1}\r\n\r\nevent: note\ndata: two\ndata: lines\n\ndata:no-space\r\rdata: [DONE]\n\n';
const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":1}' },
  { event: 'note', data: 'two\nlines' },
  { event: 'message', data: 'no-space' },
  { event: 'message', data: '[DONE]' },
];

describe('SseParser', () => {
  it('reads LF, CRLF and CR line ends, multi-line data, event names and comments', () => {
    const r = parse([STREAM]);
    expect(r.events).toEqual(EXPECTED);
    expect(r.comments).toBe(1);
    expect(r.unterminated).toBeNull();
  });

  it('gives the same events wherever the stream is cut (a CRLF pair split included)', () => {
    for (const pieces of allSplits(STREAM)) expect(parse(pieces).events).toEqual(EXPECTED);
    // One character at a time: the worst case for a parser that forgets state between pushes.
    expect(parse([...STREAM]).events).toEqual(EXPECTED);
  });

  it.each([
    ['a comment line is skipped, not dispatched', ': ping\n\n', []],
    ['an event with no data line is not dispatched', 'event: x\n\n', []],
    ['a field without colon is a field with an empty value', 'data\n\n', [{ event: 'message', data: '' }]],
    ['unknown fields and retry are ignored', 'retry: 10\nfoo: bar\ndata: x\n\n', [{ event: 'message', data: 'x' }]],
    ['only one space after the colon is dropped', 'data:  two spaces\n\n', [{ event: 'message', data: ' two spaces' }]],
    ['an id is kept', 'id: 7\ndata: x\n\n', [{ event: 'message', data: 'x', id: '7' }]],
    ['a leading byte-order mark is dropped', '\uFEFFdata: x\n\n', [{ event: 'message', data: 'x' }]],
  ])('%s', (_name, text, expected) => {
    expect(parse([text]).events).toEqual(expected);
  });

  it('reports an event the stream ended inside (no blank line after it)', () => {
    const r = parse(['data: {"choices":[]}\n\ndata: {"cho']);
    expect(r.events).toEqual([{ event: 'message', data: '{"choices":[]}' }]);
    expect(r.unterminated).toBe('{"cho');
  });

  it('passes garbage through as data (the caller judges it) and refuses a line without end', () => {
    expect(parse(['data: <html>\n\n']).events).toEqual([{ event: 'message', data: '<html>' }]);
    const p = new SseParser();
    expect(() => p.push('x'.repeat(5 * 1024 * 1024))).toThrow(/without a line break/);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split between network chunks', async () => {
    const bytes = new TextEncoder().encode('data: café — ok\n\n');
    const chunks = Array.from(bytes, (b) => new Uint8Array([b])); // every byte alone: the multi-byte characters are cut
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        chunks.forEach((x) => c.enqueue(x));
        c.close();
      },
    });
    const events: SseEvent[] = [];
    for await (const e of readSse(body, undefined, () => seen++)) events.push(e);
    expect(events).toEqual([{ event: 'message', data: 'café — ok' }]);
    expect(seen).toBe(chunks.length);
  });
});
