/**
 * Watch a policy play: the board, its reasoning streaming in, and for every step the parsed answer, the
 * ground truth and the reward parts. Space plays/pauses, N steps, R restarts.
 */
import { useEffect, useMemo } from 'react';
import { BOT_NAMES, snakeScene } from '../games/snake';
import { gameOf, questionGame } from '../games/registry';
import { playerOptions, type ModelsStore, type PolicyChoice } from '../store/models';
import type { WatchOpponent, WatchStore } from '../store/watch';
import { EndpointForm } from './EndpointForm';
import { LocalVlmForm } from './LocalVlmForm';
import { keyBelongsToControl } from './keys';
import { RasterView } from './RasterView';
import { SceneView } from './SceneView';
import { answerText, resultText, rewardPartsText, truthText } from './stepText';
import { WatchHint } from './Intro';
import { useFitWidth } from './useFitWidth';
import { TracePanel } from './TracePanel';
import { Term } from './Term';
import { useStore } from './useStore';
import { parseRuntimeChoice, RUNTIME_CHOICES, RUNTIME_LABELS } from '../runtime/choice';
import { policyKind } from '../policy/spec';

const BOARD_PX = 440;

interface Props {
  watch: WatchStore;
  models: ModelsStore;
  /** Opens the watched episode in Explore (the game-over line's link), and its shareable address. */
  onReplay?: () => void;
  replayHref?: () => string | null;
}

export function WatchView({ watch, models, onReplay, replayHref }: Props) {
  const boardPx = useFitWidth(BOARD_PX);
  const game = useStore(watch, (s) => s.game);
  const status = useStore(watch, (s) => s.status);
  const error = useStore(watch, (s) => s.error);
  const board = useStore(watch, (s) => s.board);
  const result = useStore(watch, (s) => s.result);
  const steps = useStore(watch, (s) => s.steps);
  // The observation only: the streamed text changes many times a step and is read by WatchTrace alone,
  // so the board, the images and the facts do not re-render per token.
  const liveObservation = useStore(watch, (s) => s.live?.observation ?? null);
  const live = liveObservation !== null;
  const seed = useStore(watch, (s) => s.seed);
  const opponent = useStore(watch, (s) => s.opponent);
  const observationMode = useStore(watch, (s) => s.observationMode);
  const delayMs = useStore(watch, (s) => s.delayMs);
  const policy = useStore(watch, (s) => s.policy);

  const modelStatus = useStore(models, (s) => s.status);
  const modelError = useStore(models, (s) => s.error);
  const backend = useStore(models, (s) => s.backend);
  const fallbackReason = useStore(models, (s) => s.fallbackReason);
  const choice = useStore(models, (s) => s.choice);
  const available = useStore(models, (s) => s.available);
  const localAvailable = useStore(models, (s) => s.localAvailable);
  const memoryModels = useStore(models, (s) => s.memoryModels);
  const modelGames = useStore(models, (s) => s.modelGames);
  const runtime = useStore(models, (s) => s.runtime);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const w = watch.getState();
      if (e.key === ' ') {
        if (w.status === 'running') w.pause();
        else w.play();
      } else if (e.key === 'n' || e.key === 'N') void w.step();
      else if (e.key === 'r' || e.key === 'R') w.reset();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [watch]);

  const last = steps.at(-1) ?? null;
  // The last finished step stays on show while the next one is generated (no flash of "–", no jump).
  const shown = last;
  const thinking = live;
  const boardScene = useMemo(() => (board ? snakeScene(board, { size: boardPx, axes: true }) : null), [board, boardPx]);
  const spec = gameOf(game);
  const question = questionGame(game);
  const shownObservation = liveObservation ?? last?.observation ?? null;
  const questionState = question && shownObservation?.game === game ? shownObservation.state : null;
  const viewPx = Math.min(200, Math.floor((boardPx - 12) / 2));
  const questionViews = useMemo(
    () => (question && questionState !== null ? question.scenes(questionState, { size: viewPx, axes: false, marks: true }).slice(-question.view.last) : []),
    [question, questionState, viewPx],
  );
  const watchedImages = (liveObservation ?? last?.observation)?.images ?? [];
  const me = board?.snakes.find((s) => s.id === 1);
  const them = board?.snakes.find((s) => s.id === 2);
  const totalReward = steps.reduce((a, s) => a + s.reward.overall, 0);
  const accuracy = steps.length ? steps.filter((s) => s.reward.accuracy > 0).length / steps.length : 0;

  // Only what can play this game; the rest is listed apart, disabled, with the reason.
  const { playable, missing } = useMemo(
    () => playerOptions({ available, localAvailable, memoryModels, modelGames, choice }, game),
    [available, localAvailable, memoryModels, modelGames, choice, game],
  );
  const href = result ? (replayHref?.() ?? null) : null;

  return (
    <>
      <WatchHint />
      <div className="play-layout">
        <section className="board-col" aria-label="Game being watched">
          {spec.kind === 'env' && boardScene && <SceneView scene={boardScene} label={`Snake board, round ${board?.round ?? 0}`} testId="watch-board" />}
          {question && (
            <div className="pair-images" data-testid={`watch-${game}`}>
              {questionViews.length === 0 && (
                <div className="empty" style={{ width: boardPx, height: viewPx }}>
                  Press Play or Step to ask the first question.
                </div>
              )}
              {questionViews.map((s, i) => (
                <div className="numbered" key={i}>
                  <span className="image-number">{question.view.captions[i] ?? `Image ${i + 1}`}</span>
                  <SceneView scene={s} label={`${spec.title} view ${i + 1}`} />
                </div>
              ))}
            </div>
          )}
          <div className="status" aria-live="polite">
            {spec.kind === 'env' ? (
              <>
                <span data-testid="watch-round">Round {board?.round ?? 0}</span>
                <span className="score you">Model (red) {me?.score ?? 0}</span>
                {them && (
                  <span className="score bot">
                    {opponent === 'self' ? 'Itself' : `${opponent} bot`} (blue) {them.score}
                  </span>
                )}
              </>
            ) : (
              <span data-testid="watch-round">Question {steps.length + (live ? 1 : 0)}</span>
            )}
            <span className="tally" data-testid="watch-tally">
              {steps.length} {steps.length === 1 ? 'step' : 'steps'} · accuracy {(accuracy * 100).toFixed(0)}% · mean reward{' '}
              {steps.length ? (totalReward / steps.length).toFixed(2) : '–'}
            </span>
          </div>
          {spec.kind === 'env' && result && (
            <p className={`game-over ${result.winner === 1 ? 'won' : result.winner === 2 ? 'lost' : 'tied'}`} role="status" data-testid="watch-result">
              <strong>{resultText(result, 'The model', opponent === 'self' ? 'its copy' : `the ${opponent} bot`)}</strong>{' '}
              {onReplay && (
                <a
                  href={href ?? '?mode=explore'}
                  data-testid="watch-replay"
                  onClick={(e) => {
                    e.preventDefault();
                    onReplay();
                  }}
                >
                  Replay it step by step in Explore
                </a>
              )}
            </p>
          )}
          <div className="controls" role="toolbar" aria-label="Watch controls">
            <button
              onClick={() => (status === 'running' ? watch.getState().pause() : watch.getState().play())}
              disabled={!policy || status === 'done'}
              aria-keyshortcuts="Space"
            >
              {status === 'running' ? 'Pause' : 'Play'}
            </button>
            <button onClick={() => void watch.getState().step()} disabled={!policy || status === 'running' || status === 'done' || live} aria-keyshortcuts="N">
              Step
            </button>
            <button onClick={() => watch.getState().reset()} aria-keyshortcuts="R">
              Restart
            </button>
            <button onClick={() => watch.getState().configure({ seed: (seed + 1) >>> 0 })}>New seed</button>
            <label className="inline">
              Pause between steps
              <input
                type="range"
                min={0}
                max={3000}
                step={100}
                value={delayMs}
                onChange={(e) => watch.getState().setDelay(Number(e.target.value))}
                aria-valuetext={`${delayMs} ms`}
              />
              <span className="num">{(delayMs / 1000).toFixed(1)} s</span>
            </label>
          </div>
          <div className="form-grid compact-grid">
            <label className="wide">
              Player
              <select aria-label="Player" value={choice} onChange={(e) => void models.getState().choose(e.target.value as PolicyChoice)}>
                {playable.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
                {missing.length > 0 && (
                  <optgroup label={`Cannot play ${spec.title}`}>
                    {missing.map((o) => (
                      <option key={o.label} disabled>{`${o.label}: ${o.reason}`}</option>
                    ))}
                  </optgroup>
                )}
              </select>
            </label>
            {spec.kind === 'env' && (
              <label>
                Opponent
                <select aria-label="Opponent" value={opponent} onChange={(e) => watch.getState().configure({ opponent: e.target.value as WatchOpponent })}>
                  {BOT_NAMES.map((b) => (
                    <option key={b} value={b}>
                      {b} bot
                    </option>
                  ))}
                  <option value="self">itself</option>
                </select>
              </label>
            )}
            <label>
              Seed
              <input
                type="number"
                min={0}
                value={seed}
                onChange={(e) => e.target.value !== '' && watch.getState().configure({ seed: Number(e.target.value) >>> 0 })}
              />
            </label>
            <label>
              Observation
              <select
                aria-label="Observation"
                value={observationMode}
                onChange={(e) => watch.getState().configure({ observationMode: e.target.value as 'image+text' | 'image' | 'text' })}
                title="What the player is shown: the modality-gap ablation"
              >
                <option value="image+text">image + text</option>
                <option value="image">image only</option>
                <option value="text">text only</option>
              </select>
            </label>
            <label>
              Runtime
              <select
                aria-label="Runtime"
                value={runtime}
                onChange={(e) => void models.getState().setRuntime(parseRuntimeChoice(e.target.value))}
                disabled={!/^(nano|local):|^local-picked$/.test(choice)}
              >
                {RUNTIME_CHOICES.map((r) => (
                  <option key={r} value={r}>
                    {RUNTIME_LABELS[r]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {choice === 'openai' && <EndpointForm models={models} />}
          {(policyKind(choice) === 'local' || policyKind(choice) === 'local-picked') && <LocalVlmForm models={models} />}
        </section>

        <aside className="side-col">
          <section className="panel" aria-label="Model">
            <header className="panel-head">
              <h2>Player</h2>
              <span className={`backend ${modelStatus}`} data-testid="backend">
                {modelStatus === 'loading' && 'Loading model…'}
                {modelStatus === 'ready' && backend}
                {modelStatus === 'error' && 'Not loaded'}
                {modelStatus === 'idle' && '—'}
              </span>
            </header>
            {fallbackReason && modelStatus === 'ready' && (
              <p className="note" data-testid="fallback">
                WebGPU not used: {fallbackReason}
              </p>
            )}
            {modelStatus === 'error' && (
              <p className="error" role="alert" data-testid="model-error">
                {modelError} Pick a bot above to watch the game meanwhile.
              </p>
            )}
            {error && (
              <p className="error" role="alert" data-testid="watch-error">
                {error}
              </p>
            )}
            <div className="model-images" aria-label="Images the player sees">
              {watchedImages.map((r, i) => (
                <RasterView key={i} raster={r} scale={r.width <= 96 ? 2 : Math.min(1, 160 / r.width)} label={`Player input image ${i + 1}`} />
              ))}
            </div>
            <WatchTrace
              watch={watch}
              last={last?.text ?? ''}
              placeholder={thinking ? 'thinking…' : policy ? 'Press Play (Space) or Step (N): the trace streams here.' : 'Waiting for a player…'}
            />
            <p className="step-state" data-testid="step-state" aria-live="polite">
              {thinking ? <span className="thinking">Step {steps.length + 1}: thinking…</span> : last ? `Step ${last.index + 1}` : '\u00a0'}
              {thinking && last && <span className="note"> · below: step {last.index + 1}</span>}
            </p>
            <dl className={`step-facts${thinking && last ? ' previous' : ''}`} data-testid="step-facts">
              <dt>Answer</dt>
              <dd data-testid="step-answer">{shown ? answerText(shown.observation.game, shown) : '–'}</dd>
              <dt>Truth</dt>
              <dd data-testid="step-truth">{shown ? truthText(shown.observation.game, shown.truth) : '–'}</dd>
              <dt>
                <Term term="reward">Reward</Term>
              </dt>
              <dd data-testid="step-reward">{shown ? rewardPartsText(shown.reward) : '–'}</dd>
              <dt>Speed</dt>
              <dd data-testid="step-speed">
                {shown?.timings.tokensPerSecond !== undefined
                  ? `${shown.timings.tokensPerSecond.toFixed(0)} tokens/s · first token ${shown.timings.timeToFirstTokenMs?.toFixed(0)} ms · ${shown.timings.newTokens} tokens`
                  : shown
                    ? `${shown.timings.totalMs.toFixed(1)} ms`
                    : '–'}
              </dd>
            </dl>
            <ol className="step-strip" aria-label="Rewards of recent steps">
              {steps.slice(-24).map((s) => (
                <li
                  key={s.index}
                  className={s.reward.accuracy > 0 ? 'hit' : s.reward.format > 0 ? 'formatted' : 'miss'}
                  title={`step ${s.index + 1}: reward ${s.reward.overall.toFixed(1)}`}
                >
                  {s.reward.overall.toFixed(1)}
                </li>
              ))}
            </ol>
          </section>
          <section className="panel" aria-label="Prompt of the current step">
            <header className="panel-head">
              <h2>Prompt</h2>
            </header>
            <pre className="prompt-text small" data-testid="watch-prompt" tabIndex={0}>
              {(liveObservation ?? last?.observation)?.prompt ?? '–'}
            </pre>
          </section>
        </aside>
      </div>
    </>
  );
}

/** The trace panel fed by the step being streamed (its own subscription: only it renders per update). */
function WatchTrace({ watch, last, placeholder }: { watch: WatchStore; last: string; placeholder: string }) {
  const liveText = useStore(watch, (s) => s.live?.text ?? null);
  return <TracePanel text={liveText ?? last} streaming={liveText !== null} placeholder={placeholder} />;
}
