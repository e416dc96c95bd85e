/**
 * Solve a Jigsaw question by hand: the same shuffled image and the same verifier a model faces.
 *
 * Click (or tap) one tile, then another, to swap them; clicking a selected tile again deselects it.
 * Keyboard: Tab reaches the board, the arrow keys (and Home/End) move a focus ring, Enter or Space picks
 * the focused tile. Each tile is a real button with a label a screen reader reads (position, tile
 * number, selected, in place), over the react-konva drawing of the picture as currently arranged.
 * Submitting writes the arrangement in the prompt's answer format and scores it with `scoreJigsaw`, so a
 * person's reward is a model's reward for the same answer.
 *
 * Props mirror the other play views' needs without a store: the caller owns the question (seed, grid)
 * and hears the result through `onSubmit`. The game logic lives in ../play.ts (pure, tested in Node).
 */
import { useMemo, useRef, useState } from 'react';
import { Circle, Layer, Line, Rect, Stage } from 'react-konva';
import { konvaShapes } from '../../../render/konva';
import { humanResponse, moveFocus, pick, positionLabel, startPlay, type PlayState } from '../play';
import { scoreJigsaw, type JigsawVerdict } from '../reward';
import { arrangedScene, jigsawQuestionKey, type JigsawQuestion } from '../task';

export interface JigsawPlayResult {
  /** The answer text, in the prompt's format. */
  response: string;
  verdict: JigsawVerdict;
  /** The submitted arrangement: shuffled tile number per restored position. */
  arrangement: number[];
}

export interface JigsawPlayProps {
  question: JigsawQuestion;
  /** Drawn side in CSS pixels; must be a multiple of the grid (240 suits 2 x 2 and 3 x 3). */
  size?: number;
  /** Mark tiles already in place while playing (a hint; off by default, as a model gets none). */
  showInPlace?: boolean;
  onSubmit?: (result: JigsawPlayResult) => void;
}

const GOOD = '#1f9d55';
const BAD = '#d64545';
const SELECT = '#ffd400';
const FOCUS = '#1565c0';

/** A fresh board per question: the key resets the arrangement, the selection and the result. */
export function JigsawPlay(props: JigsawPlayProps) {
  return <Board key={jigsawQuestionKey(props.question)} {...props} />;
}

function Board({ question, size = 240, showInPlace = false, onSubmit }: JigsawPlayProps) {
  const grid = question.grid;
  const n = grid * grid;
  const tile = size / grid;
  const [play, setPlay] = useState<PlayState>(() => startPlay(grid));
  const [focus, setFocus] = useState(0);
  const [result, setResult] = useState<JigsawPlayResult | null>(null);
  const [message, setMessage] = useState('Pick a tile, then another to swap them.');
  // The tile buttons, to move the keyboard focus. `unknown`, not HTMLButtonElement: src/games is also
  // type-checked without the DOM library (tsconfig.core.json) until the registry makes ui/ a ui folder.
  const buttons = useRef<unknown[]>([]);

  const shapes = useMemo(() => konvaShapes(arrangedScene(question, play.arrangement, size)), [question, play.arrangement, size]);
  const inPlace = (p: number): boolean => play.arrangement[p] === question.answer[p];
  const marked = (p: number): boolean => (result !== null || showInPlace) && inPlace(p);

  const onPick = (p: number): void => {
    if (result !== null) return;
    const next = pick(play, p);
    setPlay(next);
    setFocus(p);
    if (next.selected !== null) setMessage(`Tile ${play.arrangement[p]} selected at ${positionLabel(p, grid)}; pick another tile to swap.`);
    else if (play.selected === p) setMessage(`Tile ${play.arrangement[p]} deselected.`);
    else setMessage(`Swapped tiles ${play.arrangement[play.selected ?? p]} and ${play.arrangement[p]}.`);
  };

  const onKey = (p: number, key: string): boolean => {
    const to = moveFocus(p, key, grid);
    if (to === p && !['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(key)) return false;
    setFocus(to);
    const el = buttons.current[to] as { focus?: unknown } | null | undefined;
    if (el && typeof el.focus === 'function') (el as { focus(): void }).focus();
    return true;
  };

  const submit = (): void => {
    const response = humanResponse(play.arrangement);
    const verdict = scoreJigsaw(response, question.answer);
    const r = { response, verdict, arrangement: [...play.arrangement] };
    setResult(r);
    setPlay({ ...play, selected: null });
    setMessage(verdict.accuracy > 0 ? 'Correct: the picture is restored.' : `Wrong: ${verdict.inPlace} of ${n} tiles in place.`);
    onSubmit?.(r);
  };

  const reset = (): void => {
    setPlay(startPlay(grid));
    setResult(null);
    setMessage('Back to the shuffled image.');
  };

  const at = (p: number): { x: number; y: number } => ({ x: (p % grid) * tile, y: Math.floor(p / grid) * tile });

  return (
    <div className="jigsaw-play" style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
      <div style={{ position: 'relative', width: size, height: size }} data-testid="jigsaw-board">
        <Stage width={size} height={size} listening={false}>
          <Layer listening={false}>
            {shapes.map((shape, i) => {
              switch (shape.type) {
                case 'Rect':
                  return <Rect key={i} {...shape.config} perfectDrawEnabled={false} />;
                case 'Line':
                  return <Line key={i} {...shape.config} perfectDrawEnabled={false} />;
                case 'Circle':
                  return <Circle key={i} {...shape.config} perfectDrawEnabled={false} />;
              }
            })}
          </Layer>
          <Layer listening={false}>
            {/* Tile borders, so the cut is visible to a person (the model's image has none). */}
            {Array.from({ length: grid - 1 }, (_, k) => (k + 1) * tile).flatMap((v) => [
              <Line key={`v${v}`} points={[v, 0, v, size]} stroke="#ffffff" strokeWidth={2} opacity={0.8} />,
              <Line key={`h${v}`} points={[0, v, size, v]} stroke="#ffffff" strokeWidth={2} opacity={0.8} />,
            ])}
            {Array.from({ length: n }, (_, p) =>
              marked(p) || (result !== null && !inPlace(p)) ? (
                <Rect key={`m${p}`} x={at(p).x + 3} y={at(p).y + 3} width={tile - 6} height={tile - 6} stroke={inPlace(p) ? GOOD : BAD} strokeWidth={3} />
              ) : null,
            )}
            {play.selected !== null ? (
              <Rect x={at(play.selected).x + 2} y={at(play.selected).y + 2} width={tile - 4} height={tile - 4} stroke={SELECT} strokeWidth={4} />
            ) : null}
            <Rect x={at(focus).x + 1} y={at(focus).y + 1} width={tile - 2} height={tile - 2} stroke={FOCUS} strokeWidth={2} dash={[6, 4]} />
          </Layer>
        </Stage>
        <div
          role="grid"
          aria-label={`Jigsaw, ${grid} by ${grid}: pick two tiles to swap them; arrow keys move, Enter or Space picks`}
          style={{ position: 'absolute', inset: 0, display: 'grid', gridTemplateColumns: `repeat(${grid}, 1fr)` }}
        >
          {Array.from({ length: grid }, (_, r) => (
            <div role="row" key={r} style={{ display: 'contents' }}>
              {Array.from({ length: grid }, (_, c) => {
                const p = r * grid + c;
                const label =
                  `Position ${p + 1} (${positionLabel(p, grid)}): tile ${play.arrangement[p]}` +
                  (play.selected === p ? ', selected' : '') +
                  (marked(p) ? ', in place' : result !== null ? ', not in place' : '');
                return (
                  <div role="gridcell" key={c} style={{ display: 'flex' }}>
                    <button
                      ref={(el) => {
                        buttons.current[p] = el;
                      }}
                      type="button"
                      aria-label={label}
                      aria-pressed={play.selected === p}
                      tabIndex={focus === p ? 0 : -1}
                      disabled={result !== null}
                      data-testid={`jigsaw-tile-${p + 1}`}
                      onClick={() => onPick(p)}
                      onFocus={() => setFocus(p)}
                      onKeyDown={(e) => {
                        if (onKey(p, e.key)) e.preventDefault();
                      }}
                      style={{
                        flex: 1,
                        background: 'transparent',
                        border: 'none',
                        outline: 'none',
                        padding: 4,
                        cursor: result === null ? 'pointer' : 'default',
                        display: 'flex',
                        alignItems: 'flex-start',
                        justifyContent: 'flex-start',
                      }}
                    >
                      <span aria-hidden="true" style={{ background: 'rgba(0,0,0,0.6)', color: '#fff', borderRadius: 4, padding: '0 5px', fontSize: 12 }}>
                        {play.arrangement[p]}
                      </span>
                    </button>
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      <div className="answers" role="group" aria-label="Your answer">
        <button type="button" onClick={submit} disabled={result !== null} data-testid="jigsaw-submit">
          Submit {`[${play.arrangement.join(', ')}]`}
        </button>
        <button type="button" onClick={reset}>
          Start over
        </button>
      </div>
      <div className="status" aria-live="polite" data-testid="jigsaw-result">
        <span className={result === null ? '' : result.verdict.accuracy > 0 ? 'good' : 'bad'}>{message}</span>
        {result !== null ? (
          <span data-testid="reward">
            Reward {result.verdict.overall.toFixed(1)} = format {result.verdict.format.toFixed(1)} + accuracy {result.verdict.accuracy.toFixed(1)}
          </span>
        ) : null}
      </div>
    </div>
  );
}
