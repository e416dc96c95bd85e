/**
 * Jigsaw's Play view (the ui layer inside the game's folder; ui/gameViews.ts finds it): solve a question
 * by hand with the same shuffled image and the same verifier a model faces.
 *
 * Click (or tap) one tile, then another, to swap them; clicking a selected tile again deselects it.
 * Keyboard: Tab reaches the board, the arrow keys (and Home/End) move a focus ring, Enter or Space picks
 * the focused tile. Each tile is a real button with a label a screen reader reads (position, tile
 * number, selected, in place), over the react-konva drawing of the picture as currently arranged.
 * Submitting answers with the arrangement in the prompt's answer format (`[3, 1, 4, 2]`) through the
 * generic question store, which scores it with the game's verifier, so a person's reward is a model's
 * reward for the same answer. The pure play logic is ../play.ts (tested in Node).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Layer, Line, Rect, Stage } from 'react-konva';
import { SceneLayer } from '../../../ui/SceneView';
import { rewardPartsText } from '../../../ui/stepText';
import type { QuestionLink } from '../../../store/url';
import type { QuestionAnswer, QuestionPlayStore } from '../../../store/questionPlay';
import { keyBelongsToControl } from '../../../ui/keys';
import { PromptPanel, type PromptVariant } from '../../../ui/PromptPanel';
import { QuestionSettings } from '../../../ui/QuestionSettings';
import { useFitWidth } from '../../../ui/useFitWidth';
import { useStore } from '../../../ui/useStore';
import { JIGSAW_IMAGE_SIZES, JIGSAW_GRIDS, arrangedScene, formatPermutation, jigsawQuestionKey, type JigsawQuestion } from '../task';
import { jigsawGame, type JigsawSettings } from '../game';
import { moveFocus, pick, positionLabel, startPlay, type PlayState } from '../play';

const GOOD = '#1f9d55';
const BAD = '#d64545';
const SELECT = '#ffd400';
const FOCUS = '#1565c0';
/** The board's largest side: a multiple of 6, so both grids cut it into whole pixels. */
const VIEW_PX = 360;

export function Play({ store }: { store: QuestionPlayStore }) {
  const link = useStore(store, (s) => s.link) as QuestionLink & JigsawSettings;
  const question = useStore(store, (s) => s.question) as JigsawQuestion;
  const answer = useStore(store, (s) => s.answer);
  const answered = useStore(store, (s) => s.answered);
  const correct = useStore(store, (s) => s.correct);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const actions = store.getState();
      if ((e.key === 'Enter' || e.key === 'n' || e.key === 'N') && actions.answer) actions.next();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // The board fits a phone's width, in whole pixels per tile for either grid.
  const size = Math.floor(Math.min(VIEW_PX, useFitWidth(VIEW_PX)) / 6) * 6;
  const observe = useCallback(
    (variant: PromptVariant) => ({
      prompt: jigsawGame.prompt(question, variant),
      scenes: jigsawGame.scenes(question, { size: variant === 'full' ? JIGSAW_IMAGE_SIZES.full : JIGSAW_IMAGE_SIZES.nano, axes: false }),
    }),
    [question],
  );

  return (
    <div className="play-layout">
      <section className="board-col" aria-label="Jigsaw question">
        <p className="jigsaw-how">
          The picture was cut into {question.grid} x {question.grid} tiles and shuffled. Click two tiles to swap them until the picture looks whole, then
          submit. The answer lists, position by position in reading order, the number of the tile you put there.
        </p>
        <Board
          key={jigsawQuestionKey(question)}
          question={question}
          size={size}
          answer={answer}
          onSubmit={(arrangement) => store.getState().answerWith(formatPermutation(arrangement))}
          onNext={() => store.getState().next()}
        />
        <div className="status" aria-live="polite" data-testid="jigsaw-result">
          {answer ? (
            <>
              <span className={answer.verdict.accuracy > 0 ? 'good' : 'bad'}>
                {answer.verdict.accuracy > 0 ? 'Correct: the picture is restored.' : `Wrong: it was ${formatPermutation(question.answer)}`}
              </span>
              <span data-testid="reward">Reward {rewardPartsText(answer.verdict)}</span>
            </>
          ) : null}
          <span className="tally">
            {correct} / {answered} right this session
          </span>
        </div>
      </section>
      <aside className="side-col">
        <QuestionSettings store={store} link={link}>
          <label>
            Grid
            <select value={link.grid} onChange={(e) => store.getState().configure({ grid: Number(e.target.value) })}>
              {JIGSAW_GRIDS.map((g) => (
                <option key={g} value={g}>
                  {g} x {g} ({g * g} tiles)
                </option>
              ))}
            </select>
          </label>
        </QuestionSettings>
        <PromptPanel
          observe={observe}
          truth={
            <p data-testid="jigsaw-truth">
              Answer: <strong>{formatPermutation(question.answer)}</strong> (for each position of the restored picture, the shuffled tile that belongs there)
            </p>
          }
        />
      </aside>
    </div>
  );
}

interface BoardProps {
  question: JigsawQuestion;
  /** Drawn side in CSS pixels; a multiple of 6, so both grids cut it into whole pixels. */
  size: number;
  /** The store's answer to this question (null until submitted). */
  answer: QuestionAnswer | null;
  onSubmit: (arrangement: number[]) => void;
  onNext: () => void;
}

/** A fresh board per question (the caller keys it): the arrangement, the selection and the focus. */
function Board({ question, size, answer, onSubmit, onNext }: BoardProps) {
  const grid = question.grid;
  const n = grid * grid;
  const tile = size / grid;
  const [play, setPlay] = useState<PlayState>(() => startPlay(grid));
  const [focus, setFocus] = useState(0);
  const [message, setMessage] = useState('Pick a tile, then another to swap them.');
  // After an answer: show the picture restored by the right answer instead of the one submitted.
  const [solved, setSolved] = useState(false);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const done = answer !== null;

  const shown = done && solved ? question.answer : play.arrangement;
  const scene = useMemo(() => arrangedScene(question, shown, size), [question, shown, size]);
  const inPlace = (p: number): boolean => shown[p] === question.answer[p];

  const onPick = (p: number): void => {
    if (done) return;
    const next = pick(play, p);
    setPlay(next);
    setFocus(p);
    if (next.selected !== null) setMessage(`Tile ${play.arrangement[p]} selected at ${positionLabel(p, grid)}; pick another tile to swap.`);
    else if (play.selected === p) setMessage(`Tile ${play.arrangement[p]} deselected.`);
    else setMessage(`Swapped tiles ${play.arrangement[play.selected ?? p]} and ${play.arrangement[p]}.`);
  };

  const onKey = (p: number, key: string): boolean => {
    if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(key)) return false;
    const to = moveFocus(p, key, grid);
    setFocus(to);
    buttons.current[to]?.focus();
    return true;
  };

  const at = (p: number): { x: number; y: number } => ({ x: (p % grid) * tile, y: Math.floor(p / grid) * tile });
  const labelSize = Math.max(12, Math.round(tile / 6));

  return (
    <div className="jigsaw-play" style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
      <div style={{ position: 'relative', width: size, height: size }} data-testid="jigsaw-board">
        <Stage width={size} height={size} listening={false}>
          <SceneLayer scene={scene} />
          <Layer listening={false}>
            {/* Tile borders, so the cut is visible to a person (the model's image has none). */}
            {Array.from({ length: grid - 1 }, (_, k) => (k + 1) * tile).flatMap((v) => [
              <Line key={`v${v}`} points={[v, 0, v, size]} stroke="#ffffff" strokeWidth={2} opacity={0.8} />,
              <Line key={`h${v}`} points={[0, v, size, v]} stroke="#ffffff" strokeWidth={2} opacity={0.8} />,
            ])}
            {done
              ? Array.from({ length: n }, (_, p) => (
                  <Rect key={`m${p}`} x={at(p).x + 3} y={at(p).y + 3} width={tile - 6} height={tile - 6} stroke={inPlace(p) ? GOOD : BAD} strokeWidth={3} />
                ))
              : null}
            {play.selected !== null && !done ? (
              <Rect x={at(play.selected).x + 2} y={at(play.selected).y + 2} width={tile - 4} height={tile - 4} stroke={SELECT} strokeWidth={4} />
            ) : null}
            {done ? null : <Rect x={at(focus).x + 1} y={at(focus).y + 1} width={tile - 2} height={tile - 2} stroke={FOCUS} strokeWidth={2} dash={[6, 4]} />}
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
                  `Position ${p + 1} (${positionLabel(p, grid)}): tile ${shown[p]}` +
                  (play.selected === p && !done ? ', selected' : '') +
                  (done ? (inPlace(p) ? ', in place' : ', not in place') : '');
                return (
                  <div role="gridcell" key={c} style={{ display: 'flex' }}>
                    <button
                      ref={(el) => {
                        buttons.current[p] = el;
                      }}
                      type="button"
                      aria-label={label}
                      aria-pressed={play.selected === p && !done}
                      tabIndex={focus === p ? 0 : -1}
                      disabled={done}
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
                        cursor: done ? 'default' : 'pointer',
                        // The numbers stay readable after the answer (a disabled button is dimmed by default).
                        opacity: 1,
                        display: 'flex',
                        alignItems: 'flex-start',
                        justifyContent: 'flex-start',
                      }}
                    >
                      <span
                        aria-hidden="true"
                        style={{ background: 'rgba(0,0,0,0.65)', color: '#fff', borderRadius: 4, padding: '0 6px', fontSize: labelSize, lineHeight: 1.4 }}
                      >
                        {shown[p]}
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
        <button type="button" onClick={() => onSubmit([...play.arrangement])} disabled={done} data-testid="jigsaw-submit">
          Submit {formatPermutation(play.arrangement)}
        </button>
        <button
          type="button"
          onClick={() => {
            setPlay(startPlay(grid));
            setMessage('Back to the shuffled image.');
          }}
          disabled={done}
        >
          Start over
        </button>
        {done && answer.verdict.accuracy === 0 ? (
          <button type="button" onClick={() => setSolved((s) => !s)} aria-pressed={solved} data-testid="jigsaw-show-solution">
            {solved ? 'Show my answer' : 'Show the restored picture'}
          </button>
        ) : null}
        <button type="button" onClick={onNext} aria-keyshortcuts="Enter">
          Next question
        </button>
      </div>
      {done ? null : (
        <p className="jigsaw-message" aria-live="polite" data-testid="jigsaw-message">
          {message}
        </p>
      )}
    </div>
  );
}
