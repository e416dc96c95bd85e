/**
 * An episode's steps on a line: first / back / forward / last buttons, a slider, a jump box, and a strip
 * of every step coloured by its reward (click one to go there). The keys (←/→, Home/End) are bound by
 * the view that owns the timeline. Fixed heights, so moving never shifts the layout.
 */
import { useEffect, useState } from 'react';
import type { EpisodeStep } from '../records/types';

interface Props {
  steps: readonly EpisodeStep[];
  index: number;
  onGo: (index: number) => void;
}

export function Timeline({ steps, index, onGo }: Props) {
  const n = steps.length;
  const [jump, setJump] = useState(String(index + 1));
  useEffect(() => setJump(String(index + 1)), [index]);
  const last = Math.max(0, n - 1);
  const submitJump = () => {
    const k = Number(jump);
    if (Number.isInteger(k) && k >= 1) onGo(Math.min(k, n) - 1);
    else setJump(String(index + 1));
  };
  return (
    <div className="timeline" role="group" aria-label="Timeline">
      <div className="controls">
        <button onClick={() => onGo(0)} disabled={index <= 0} aria-keyshortcuts="Home" aria-label="First step">
          |◀
        </button>
        <button onClick={() => onGo(index - 1)} disabled={index <= 0} aria-keyshortcuts="ArrowLeft" aria-label="Previous step">
          ◀
        </button>
        <span className="num timeline-pos" data-testid="timeline-position" aria-live="polite">
          Step {n === 0 ? 0 : index + 1} / {n}
        </span>
        <button onClick={() => onGo(index + 1)} disabled={index >= last} aria-keyshortcuts="ArrowRight" aria-label="Next step">
          ▶
        </button>
        <button onClick={() => onGo(last)} disabled={index >= last} aria-keyshortcuts="End" aria-label="Last step">
          ▶|
        </button>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            submitJump();
          }}
        >
          <label className="inline">
            Go to step
            <input
              type="number"
              min={1}
              max={Math.max(1, n)}
              value={jump}
              onChange={(e) => setJump(e.target.value)}
              aria-label="Go to step"
              style={{ width: '5em' }}
            />
          </label>
          <button type="submit">Go</button>
        </form>
      </div>
      <input
        type="range"
        className="timeline-slider"
        min={0}
        max={last}
        value={Math.min(index, last)}
        disabled={n <= 1}
        onChange={(e) => onGo(Number(e.target.value))}
        aria-label="Step"
        aria-valuetext={`step ${index + 1} of ${n}`}
      />
      <ol className="timeline-strip" aria-label="Rewards by step">
        {steps.map((s, i) => (
          <li key={i}>
            <button
              className={`${s.reward.accuracy > 0 ? 'hit' : s.reward.format > 0 ? 'formatted' : 'miss'}${i === index ? ' current' : ''}${s.source === 'human' ? ' human' : ''}`}
              onClick={() => onGo(i)}
              aria-current={i === index ? 'step' : undefined}
              aria-label={`Step ${i + 1}: reward ${s.reward.overall.toFixed(1)}${s.source === 'human' ? ', chosen by hand' : ''}`}
              title={`step ${i + 1}: reward ${s.reward.overall.toFixed(1)}`}
            />
          </li>
        ))}
      </ol>
    </div>
  );
}
