/** Play Snake with the keyboard against a bot; the side panel shows what a model would see. */
import { useCallback, useEffect, useMemo } from 'react';
import { MOVES, snakeLabels, snakePrompt, snakeScene, type Move } from '../games/snake';
import { BOT_ID, HUMAN_ID, type SnakePlayStore } from '../store/snakePlay';
import { OPPONENTS, type OpponentName } from '../store/url';
import { keyBelongsToControl } from './keys';
import { PromptPanel, type PromptVariant } from './PromptPanel';
import { SceneView } from './SceneView';
import { useFitWidth } from './useFitWidth';
import { useStore } from './useStore';

const KEY_MOVES: Record<string, Move> = {
  ArrowUp: 'UP',
  ArrowDown: 'DOWN',
  ArrowLeft: 'LEFT',
  ArrowRight: 'RIGHT',
  w: 'UP',
  s: 'DOWN',
  a: 'LEFT',
  d: 'RIGHT',
  W: 'UP',
  S: 'DOWN',
  A: 'LEFT',
  D: 'RIGHT',
};

const BOARD_PX = 440;
/** The nano model's eyes: an 80x80 raster without axes. */
const NANO_PX = 80;

export function SnakePlay({ store }: { store: SnakePlayStore }) {
  const state = useStore(store, (s) => s.state);
  const result = useStore(store, (s) => s.result);
  const link = useStore(store, (s) => s.link);
  const running = useStore(store, (s) => s.running);
  const speed = useStore(store, (s) => s.speed);
  const turnBased = useStore(store, (s) => s.turnBased);
  const events = useStore(store, (s) => s.lastEvents);
  const queued = useStore(store, (s) => s.queued);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const move = KEY_MOVES[e.key];
      const actions = store.getState();
      if (move) actions.press(move);
      else if (e.key === ' ') actions.setRunning(!actions.running);
      else if (e.key === 'n' || e.key === 'N' || e.key === '.') actions.step();
      else if (e.key === 'r' || e.key === 'R') actions.newGame((actions.link.seed + 1) >>> 0);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  const boardPx = useFitWidth(BOARD_PX);
  const scene = useMemo(() => snakeScene(state, { size: boardPx, axes: true }), [state, boardPx]);
  const observe = useCallback(
    (variant: PromptVariant) => ({
      prompt: snakePrompt(state, { variant }),
      scenes: [variant === 'full' ? snakeScene(state, { size: 320, axes: true }) : snakeScene(state, { size: NANO_PX, axes: false })],
    }),
    [state],
  );
  const labels = useMemo(() => snakeLabels(state, HUMAN_ID), [state]);
  const human = state.snakes.find((s) => s.id === HUMAN_ID);
  const bot = state.snakes.find((s) => s.id === BOT_ID);

  let banner = '';
  if (result) {
    if (result.winner === null) banner = `Tie after ${result.rounds} rounds`;
    else if (result.winner === HUMAN_ID) banner = link.opponent === 'none' ? `Game over: ${human?.score ?? 0} apples` : 'You win';
    else banner = 'The bot wins';
  } else if (state.round === 0 && !running) {
    banner = 'Press an arrow key or WASD to start';
  } else if (!running && !turnBased) {
    banner = 'Paused';
  }

  return (
    <div className="play-layout">
      <section className="board-col" aria-label="Snake board">
        <SceneView scene={scene} label={`Snake board, round ${state.round}`} testId="snake-board" />
        <div className="status" aria-live="polite">
          <span data-testid="round">
            Round {state.round} / {link.options.maxRounds}
          </span>
          <span className="score you" data-testid="score-you">
            You (red) {human?.score ?? 0}
          </span>
          {bot && (
            <span className="score bot" data-testid="score-bot">
              Bot (blue) {bot.score}
            </span>
          )}
          <span className="banner" data-testid="banner">
            {banner || events.join(' · ') || '\u00a0'}
          </span>
        </div>
        <div className="controls" role="toolbar" aria-label="Game controls">
          <button onClick={() => store.getState().setRunning(!running)} disabled={!!result || turnBased} aria-keyshortcuts="Space">
            {running ? 'Pause' : 'Play'}
          </button>
          <button onClick={() => store.getState().step()} disabled={!!result} aria-keyshortcuts="N">
            Step
          </button>
          <button onClick={() => store.getState().newGame((link.seed + 1) >>> 0)} aria-keyshortcuts="R">
            New game
          </button>
          <label className="inline">
            Speed
            <input
              type="range"
              min={0.5}
              max={12}
              step={0.5}
              value={speed}
              onChange={(e) => store.getState().setSpeed(Number(e.target.value))}
              aria-valuetext={`${speed} rounds per second`}
            />
            <span className="num">{speed}/s</span>
          </label>
          <label className="inline">
            <input type="checkbox" checked={turnBased} onChange={(e) => store.getState().setTurnBased(e.target.checked)} />
            Turn-based
          </label>
        </div>
        <p className="hint">
          Arrows or WASD steer{queued ? ` (next: ${queued})` : ''} · Space play/pause · N one round · R new game. Into a wall, any body or the neck is death, as
          in the rules models are scored by.
        </p>
      </section>
      <aside className="side-col">
        <section className="panel" aria-label="Game settings">
          <header className="panel-head">
            <h2>Game</h2>
          </header>
          <div className="form-grid">
            <label>
              Opponent
              <select value={link.opponent} onChange={(e) => store.getState().setOpponent(e.target.value as OpponentName)}>
                {OPPONENTS.map((o) => (
                  <option key={o} value={o}>
                    {o === 'none' ? 'none (alone)' : `${o} bot`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Seed
              <input
                type="number"
                min={0}
                value={link.seed}
                onChange={(e) => e.target.value !== '' && store.getState().newGame(Number(e.target.value) >>> 0)}
              />
            </label>
            <label>
              Board
              <select
                value={link.options.width}
                onChange={(e) => store.getState().setOptions({ width: Number(e.target.value), height: Number(e.target.value) })}
              >
                {[6, 8, 10, 12, 16].map((n) => (
                  <option key={n} value={n}>
                    {n} x {n}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Apples
              <input
                type="number"
                min={1}
                max={20}
                value={link.options.apples}
                onChange={(e) => {
                  const n = Number(e.target.value);
                  if (n >= 1 && n <= 20) store.getState().setOptions({ apples: n });
                }}
              />
            </label>
            <label>
              Max rounds
              <input
                type="number"
                min={1}
                max={10000}
                value={link.options.maxRounds}
                onChange={(e) => {
                  const n = Number(e.target.value);
                  if (n >= 1) store.getState().setOptions({ maxRounds: n });
                }}
              />
            </label>
            <label>
              Tail rule
              <select value={link.options.tailRule} onChange={(e) => store.getState().setOptions({ tailRule: e.target.value as 'static' | 'moving' })}>
                <option value="static">static (ViGaL, Feb 2025)</option>
                <option value="moving">moving (tail leaves first)</option>
              </select>
            </label>
          </div>
        </section>
        <PromptPanel
          observe={observe}
          truth={
            <dl className="labels">
              <dt>Best</dt>
              <dd data-testid="label-best">{labels.best.length ? labels.best.join(', ') : 'none (every move is fatal)'}</dd>
              <dt>Worst</dt>
              <dd data-testid="label-worst">{labels.worst.length ? labels.worst.join(', ') : 'None'}</dd>
              <dt>Moves</dt>
              <dd>{MOVES.join(' · ')}</dd>
            </dl>
          }
        />
      </aside>
    </div>
  );
}
