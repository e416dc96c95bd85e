/**
 * Server-sent events (the `text/event-stream` format of the HTML standard), as OpenAI-compatible
 * servers stream chat completions. Bytes arrive in arbitrary pieces: a line, a CRLF pair or a UTF-8
 * character may be split between two network chunks, so the parser keeps the unfinished line and an
 * "a CR just ended a line" flag between pushes.
 *
 * The format, as far as a client needs it:
 *   - lines end with CRLF, LF or CR; a blank line ends (dispatches) an event;
 *   - `field: value` (one space after the colon is dropped; a line without a colon is a field with an
 *     empty value); `data` lines are joined with "\n", `event` names the event, `id` and `retry` are kept;
 *   - a line starting with ':' is a comment (servers send them as keep-alives);
 *   - an event without any data line is not dispatched; an unfinished event at the end of the stream is
 *     dropped (the caller learns of it through `finish()`).
 * Pure: no DOM, no Node; `readSse` adapts a fetch body stream.
 */

export interface SseEvent {
  /** The `event:` field, 'message' when absent. */
  event: string;
  /** The data lines joined with "\n". */
  data: string;
  id?: string;
}

export interface SseFinish {
  /** Data of an event the stream ended inside (no blank line after it), or null. */
  unterminated: string | null;
}

/** One unbroken line longer than this is not an event stream (an HTML page, a binary file): refuse it. */
export const MAX_SSE_LINE = 4 * 1024 * 1024;

/** A line over MAX_SSE_LINE. `head` is its start, for a caller that must clean it (redact a key) before quoting it. */
export class SseLineTooLongError extends Error {
  override name = 'SseLineTooLongError';
  constructor(
    readonly lineLength: number,
    readonly head: string,
  ) {
    super(`a line of ${lineLength} characters without a line break (starts ${JSON.stringify(head.slice(0, 60))}); not an event stream`);
  }
}

export class SseParser {
  /** The unfinished line. */
  private line = '';
  /** The previous push ended with CR: an LF at the start of the next one belongs to that line break. */
  private skipLF = false;
  private atStart = true;
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  /** Comment lines seen (keep-alives), for diagnostics. */
  comments = 0;

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte-order mark is not part of the stream
    }
    const events: SseEvent[] = [];
    let start = 0;
    if (this.skipLF && text.charCodeAt(0) === 10) start = 1;
    this.skipLF = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.takeLine(this.line + text.slice(start, i), events);
      this.line = '';
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLF = true;
        }
      }
      start = i + 1;
    }
    this.line += text.slice(start);
    if (this.line.length > MAX_SSE_LINE) {
      throw new SseLineTooLongError(this.line.length, this.line.slice(0, 1024));
    }
    return events;
  }

  /** The stream ended: reports an event that was begun but never terminated by a blank line. */
  finish(): SseFinish {
    if (this.line !== '') this.takeLine(this.line, []);
    this.line = '';
    const unterminated = this.data.length > 0 ? this.data.join('\n') : null;
    this.data = [];
    return { unterminated };
  }

  private takeLine(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.data.length > 0) {
        events.push({ event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) });
      }
      this.data = [];
      this.event = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    // 'retry' and unknown fields are ignored, as the standard says.
  }
}

/**
 * The events of a fetch body. `onChunk` sees each network chunk (to reset an idle timer). Errors of the
 * underlying stream (a dropped connection) propagate unchanged; the caller names them.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  parser: SseParser = new SseParser(),
  onChunk?: () => void,
): AsyncGenerator<SseEvent, SseFinish> {
  const reader = body.getReader();
  // stream: true keeps a UTF-8 sequence split between chunks for the next call.
  const decoder = new TextDecoder('utf-8');
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    return parser.finish();
  } finally {
    // Stop the download when the consumer stops early (cancel, error); harmless after the end.
    reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
