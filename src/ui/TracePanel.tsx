/**
 * The reasoning trace as it streams. Fixed height (no layout jump while tokens arrive); follows the end
 * while streaming unless the reader has scrolled up.
 */
import { useEffect, useRef } from 'react';

interface Props {
  text: string;
  streaming: boolean;
  placeholder: string;
}

export function TracePanel({ text, streaming, placeholder }: Props) {
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <pre
      ref={box}
      className={`trace${streaming ? ' streaming' : ''}`}
      data-testid="trace"
      aria-live="off"
      aria-busy={streaming}
      aria-label="Model trace"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {text || <span className="placeholder">{placeholder}</span>}
      {streaming && <span className="caret" aria-hidden="true" />}
    </pre>
  );
}
