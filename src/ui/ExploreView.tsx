/**
 * Explore: the saved episodes (watched, branched, imported) and the step-through view of one of them.
 * For every step: the exact images the policy saw (re-rendered from the stored position with the
 * episode's render settings), the prompt, the full trace, the parsed answer, the ground truth and the
 * reward parts. ←/→ step, Home/End jump to the ends, the box jumps to any step. "Branch here" (B) takes
 * over at the step shown: choose the move by hand (arrow keys or buttons), then any player goes on.
 */
import { useEffect, useMemo, useState } from 'react';
import { MOVES, snakeScene, type Move, type SnakeState } from '../games/snake';
import { gameOf, questionGame } from '../games/registry';
import type { EpisodeRecord, EpisodeStep, ObservationMode } from '../records/types';
import { formatBytes, getRecord, type RecordSummary } from '../persist';
import { answerText, resultText, rewardPartsText, truthText } from './stepText';
import { stepImages, type EpisodeMeta, type EpisodesStore } from '../store/episodes';
import type { ExploreStore } from '../store/explore';
import { branchChoiceFor, playerOptions, type ModelsStore, type PolicyChoice } from '../store/models';
import type { WatchStore } from '../store/watch';
import { keyBelongsToControl } from './keys';
import { RasterView } from './RasterView';
import { SceneView } from './SceneView';
import { useFitWidth } from './useFitWidth';
import { StoragePanel } from './StoragePanel';
import { Timeline } from './Timeline';
import { TracePanel } from './TracePanel';
import { useStore } from './useStore';
import { policyKind } from '../policy/spec';

const BOARD_PX = 360;
const MODE_TITLES: Record<ObservationMode, string> = { 'image+text': 'image + text', image: 'image only', text: 'text only' };
const ARROW_MOVES: Record<string, Move> = { ArrowUp: 'UP', ArrowDown: 'DOWN', ArrowLeft: 'LEFT', ArrowRight: 'RIGHT' };
const MOVE_ARROWS: Record<Move, string> = { UP: '↑', DOWN: '↓', LEFT: '←', RIGHT: '→' };

function episodeTitle(ep: Pick<EpisodeRecord, 'policy' | 'game' | 'opponent'>): string {
  const who = ep.policy === 'verl' ? 'verl rollouts' : ep.policy;
  const vs = gameOf(ep.game).kind === 'env' && ep.opponent ? ` vs ${ep.opponent}` : '';
  return `${gameOf(ep.game).title} · ${who}${vs}`;
}

interface Props {
  explore: ExploreStore;
  episodes: EpisodesStore;
  /** The player store branches use (separate from Watch mode's, so branching never disturbs it). */
  models: ModelsStore;
  /** Watch mode's store and the id its autosave writes under (null before its first step). */
  watch: WatchStore;
  liveMeta: () => EpisodeMeta | null;
}

export function ExploreView({ explore, episodes, models, watch, liveMeta }: Props) {
  const list = useStore(episodes, (s) => s.episodes);
  const loaded = useStore(episodes, (s) => s.loaded);
  const episode = useStore(explore, (s) => s.episode);
  const index = useStore(explore, (s) => s.index);
  const live = useStore(explore, (s) => s.live);
  const branch = useStore(explore, (s) => s.branch);
  const exploreError = useStore(explore, (s) => s.error);
  const [arming, setArming] = useState(false);
  const liveId = liveMeta()?.id ?? null;
  const openSaved = async (ep: RecordSummary) => {
    if (ep.id === liveId) return explore.getState().follow(watch, () => liveMeta() ?? { id: ep.id, createdAt: ep.createdAt });
    const record = await getRecord('episode', ep.id).catch(() => undefined);
    if (record) explore.getState().open(record);
    else explore.setState({ error: `The episode ${ep.id} could not be read back from storage.` });
  };

  useEffect(() => {
    void episodes.getState().refresh();
  }, [episodes]);

  const step = episode?.steps[index] ?? null;

  const choose = (choice: string) => {
    if (!episode || !step) return;
    setArming(false);
    const session = explore.getState().startBranch(index, choice, episodes);
    if (!session) return;
    // The branch goes on with the episode's own player by default (once the model list says who is here).
    const game = episode.game;
    void models
      .getState()
      .refresh()
      .then(() => {
        const wanted = branchChoiceFor(episode.policy, game, models.getState());
        if (wanted && (wanted !== models.getState().choice || models.getState().status === 'idle')) void models.getState().choose(wanted);
      });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const x = explore.getState();
      if (!x.episode) return;
      if (arming && gameOf(x.episode.game).kind === 'env' && ARROW_MOVES[e.key]) choose(ARROW_MOVES[e.key]!);
      else if (arming && e.key === 'Escape') setArming(false);
      else if (e.key === 'ArrowLeft') x.step(-1);
      else if (e.key === 'ArrowRight') x.step(1);
      else if (e.key === 'Home') x.go(0);
      else if (e.key === 'End') x.go(Number.MAX_SAFE_INTEGER);
      else if (e.key === 'b' || e.key === 'B') setArming(true);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // A branch plays with whatever the branch player store holds.
  useEffect(() => {
    if (!branch) return;
    const apply = (p: ReturnType<ModelsStore['getState']>['policy']) => {
      if (p) branch.watch.getState().setPolicy(p);
    };
    apply(models.getState().policy);
    return models.subscribe((s, prev) => s.policy !== prev.policy && apply(s.policy));
  }, [branch, models]);

  const images = useMemo(() => (episode && step ? stepImages(episode, step) : []), [episode, step]);
  const boardPx = useFitWidth(BOARD_PX);
  // The env game's board (Snake's), or what a person sees of a question (its `view`).
  const boardScene = useMemo(
    () => (step && gameOf(step.position.game).kind === 'env' ? snakeScene(step.position.state as SnakeState, { size: boardPx, axes: true }) : null),
    [step, boardPx],
  );
  const question = step ? questionGame(step.position.game) : null;
  const questionViews = useMemo(
    () => (step && question ? question.scenes(step.position.state, { size: 170, axes: false, marks: true }).slice(-question.view.last) : []),
    [step, question],
  );

  return (
    <div className="explore-layout">
      <aside className="library-col">
        <section className="panel library" aria-label="Saved episodes">
          <header className="panel-head">
            <h2>Episodes</h2>
            <span className="hint">{list.length} saved</span>
          </header>
          {loaded && list.length === 0 && (
            <p className="empty library-empty" data-testid="explore-empty">
              No saved episodes yet — watch a game or import a JSONL.
            </p>
          )}
          <ul className="episode-list" data-testid="episode-list">
            {list.map((ep) => (
              <li key={ep.id} className={episode?.id === ep.id ? 'on' : ''}>
                <button
                  className="episode-open"
                  onClick={() => void openSaved(ep)}
                  aria-current={episode?.id === ep.id ? 'true' : undefined}
                  data-episode-id={ep.id}
                >
                  <span className="episode-title">{episodeTitle({ policy: ep.policy ?? '?', game: ep.game, opponent: ep.opponent })}</span>
                  <span className="episode-meta">
                    {ep.steps} {ep.steps === 1 ? 'step' : 'steps'} · {new Date(ep.createdAt).toLocaleString()} · {formatBytes(ep.bytes)}
                    {ep.id === liveId && <em className="badge live"> live</em>}
                    {ep.branchedFrom && <em className="badge"> branch</em>}
                    {ep.imported && <em className="badge"> imported</em>}
                    {ep.observationMode && ep.observationMode !== 'image+text' && <em className="badge"> {MODE_TITLES[ep.observationMode]}</em>}
                  </span>
                </button>
                <button
                  className="episode-delete"
                  onClick={() => void episodes.getState().remove('episode', ep.id)}
                  aria-label={`Delete episode ${ep.id}`}
                  title="Delete"
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </section>
        <StoragePanel episodes={episodes} />
      </aside>

      {!episode ? (
        <section className="explore-main empty explore-placeholder" aria-label="Step-through">
          {exploreError ? (
            <span className="error" role="alert">
              {exploreError}
            </span>
          ) : list.length === 0 ? (
            'Every game watched in “Watch the model” is saved here step by step; JSONL files (ours, or verl rollout dumps) import under Storage.'
          ) : (
            'Choose an episode on the left to step through it.'
          )}
        </section>
      ) : (
        <>
          <section className="explore-main" aria-label="Step-through">
            <header className="episode-head">
              <h2 data-testid="explore-title">{episodeTitle(episode)}</h2>
              <p className="hint">
                seed {episode.seed} · observation {MODE_TITLES[episode.observationMode]}
                {episode.result &&
                  ` · ${resultText(episode.result, 'The player', episode.opponent === 'self' ? 'its copy' : episode.opponent ? `the ${episode.opponent} bot` : 'the opponent')}`}
                {live && <em className="badge live"> {live === 'branch' ? 'branch, live' : 'live'}</em>}
              </p>
              {episode.note && <p className="hint note-line">{episode.note}</p>}
            </header>
            <div className={`explore-board ${episode.game}`}>
              {boardScene && <SceneView scene={boardScene} label={`Snake board at step ${index + 1}`} testId="explore-board" />}
              {question && questionViews.length > 0 && (
                <div className="pair-images" data-testid="explore-board">
                  {questionViews.map((s, i) => (
                    <div className="numbered" key={i}>
                      <span className="image-number">{question.view.captions[i] ?? `Image ${i + 1}`}</span>
                      <SceneView scene={s} label={`${question.title} view ${i + 1}`} />
                    </div>
                  ))}
                </div>
              )}
            </div>
            <Timeline steps={episode.steps} index={index} onGo={(i) => explore.getState().go(i)} />
            <BranchPanel episode={episode} step={step} arming={arming} setArming={setArming} choose={choose} models={models} explore={explore} />
            {exploreError && (
              <p className="error" role="alert">
                {exploreError}
              </p>
            )}
          </section>
          <aside className="explore-detail" aria-label={`Step ${index + 1}`}>
            <section className="panel">
              <header className="panel-head">
                <h2>What the player saw</h2>
                <span className="hint" data-testid="explore-step-label">
                  Step {index + 1}
                  {step?.source === 'human' ? ' · chosen by hand' : step?.source === 'import' ? ' · imported' : ''}
                </span>
              </header>
              <div className="model-images" aria-label="Images the player saw" data-testid="explore-images">
                {images.length === 0 ? (
                  <p className="hint">No image: this episode was played text only.</p>
                ) : (
                  images.map((r, i) => (
                    <RasterView key={`${index}-${i}`} raster={r} scale={r.width <= 96 ? 2 : Math.min(1, 160 / r.width)} label={`Player input image ${i + 1}`} />
                  ))
                )}
              </div>
              <pre className="prompt-text small" data-testid="explore-prompt" tabIndex={0} aria-label="Prompt">
                {step ? step.prompt || '(no text prompt)' : '–'}
              </pre>
            </section>
            <section className="panel">
              <header className="panel-head">
                <h2>Trace and verdict</h2>
              </header>
              <TracePanel text={step?.text ?? ''} streaming={false} placeholder="No response recorded." />
              <dl className="step-facts" data-testid="explore-facts">
                <dt>Answer</dt>
                <dd data-testid="explore-answer">{step ? answerText(step.position.game, step) : '–'}</dd>
                <dt>Truth</dt>
                <dd data-testid="explore-truth">{step ? truthText(step.position.game, step.truth) : '–'}</dd>
                <dt>Reward</dt>
                <dd data-testid="explore-reward">{step ? rewardPartsText(step.reward) : '–'}</dd>
                <dt>Played</dt>
                <dd data-testid="explore-played">
                  {step && gameOf(step.position.game).kind === 'env'
                    ? `${step.applied ?? '–'}${step.opponentMove ? ` · opponent ${step.opponentMove}` : ''}`
                    : step
                      ? (step.action ?? '–')
                      : '–'}
                </dd>
                <dt>Time</dt>
                <dd>
                  {step?.timings.tokensPerSecond !== undefined
                    ? `${step.timings.tokensPerSecond.toFixed(0)} tokens/s · ${step.timings.newTokens} tokens`
                    : step
                      ? `${step.timings.totalMs.toFixed(1)} ms`
                      : '–'}
                </dd>
              </dl>
            </section>
          </aside>
        </>
      )}
    </div>
  );
}

function BranchPanel({
  episode,
  step,
  arming,
  setArming,
  choose,
  models,
  explore,
}: {
  episode: EpisodeRecord;
  step: EpisodeStep | null;
  arming: boolean;
  setArming: (on: boolean) => void;
  choose: (choice: string) => void;
  models: ModelsStore;
  explore: ExploreStore;
}) {
  const branch = useStore(explore, (s) => s.branch);
  const live = useStore(explore, (s) => s.live);
  const choice = useStore(models, (s) => s.choice);
  const available = useStore(models, (s) => s.available);
  const modelStatus = useStore(models, (s) => s.status);
  const modelError = useStore(models, (s) => s.error);
  const endpointModel = useStore(models, (s) => s.endpoint.model);

  // A question game's options as buttons (null: a typed answer); an env game's moves below.
  const options = step ? (questionGame(step.position.game)?.options(step.position.state) ?? null) : [];
  const [typed, setTyped] = useState('');
  const env = gameOf(episode.game).kind === 'env';
  const memoryModels = useStore(models, (s) => s.memoryModels);
  const modelGames = useStore(models, (s) => s.modelGames);
  // What can play this episode's game: nano models and bots, and the server set up in Watch mode (its key only when remembered there).
  const policyOptions: { value: PolicyChoice; label: string }[] = [
    ...playerOptions({ available, localAvailable: [], memoryModels, modelGames, choice }, episode.game).playable.filter((o) =>
      ['nano', 'bot'].includes(policyKind(o.value) ?? ''),
    ),
    ...(endpointModel ? [{ value: 'openai' as PolicyChoice, label: `server: ${endpointModel}` }] : []),
  ];

  return (
    <section className="panel branch-panel" aria-label="Branch">
      <header className="panel-head">
        <h2>Branch</h2>
        {branch && live === 'branch' && (
          <span className="hint">
            from step {branch.step + 1}
            {branch.exact ? '' : ' (board rebuilt from the stored position)'}
          </span>
        )}
      </header>
      {!arming ? (
        <div className="controls">
          <button onClick={() => setArming(true)} disabled={!step} aria-keyshortcuts="B">
            Branch here (step {step ? step.index + 1 : '–'})
          </button>
          <span className="hint">Take over at this step, choose the move by hand, then let a player go on.</span>
        </div>
      ) : (
        <div className="controls" role="group" aria-label="Choose the move by hand">
          <span>{env ? 'Your move (arrow keys):' : 'Your answer:'}</span>
          {env ? (
            MOVES.map((m) => (
              <button key={m} onClick={() => choose(m)} aria-label={`Move ${m}`}>
                {MOVE_ARROWS[m]} {m}
              </button>
            ))
          ) : options ? (
            options.map((c) => (
              <button key={c} onClick={() => choose(c)}>
                {c}
              </button>
            ))
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (typed.trim() !== '') choose(typed.trim());
              }}
            >
              <input aria-label="Your answer" value={typed} onChange={(e) => setTyped(e.target.value)} />
              <button type="submit">Answer</button>
            </form>
          )}
          <button onClick={() => setArming(false)} aria-keyshortcuts="Escape">
            Cancel
          </button>
        </div>
      )}
      {branch && live === 'branch' && (
        <BranchControls watch={branch.watch} models={models} policyOptions={policyOptions} choice={choice} modelStatus={modelStatus} modelError={modelError} />
      )}
    </section>
  );
}

function BranchControls({
  watch,
  models,
  policyOptions,
  choice,
  modelStatus,
  modelError,
}: {
  watch: WatchStore;
  models: ModelsStore;
  policyOptions: { value: PolicyChoice; label: string }[];
  choice: PolicyChoice;
  modelStatus: string;
  modelError: string | null;
}) {
  const status = useStore(watch, (s) => s.status);
  const policy = useStore(watch, (s) => s.policy);
  const live = useStore(watch, (s) => s.live);
  const error = useStore(watch, (s) => s.error);
  const mode = useStore(watch, (s) => s.observationMode);
  return (
    <div className="branch-controls">
      <div className="form-grid compact-grid">
        <label>
          Continue with
          <select aria-label="Branch player" value={choice} onChange={(e) => void models.getState().choose(e.target.value as PolicyChoice)}>
            {policyOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Observation
          <select
            aria-label="Branch observation"
            value={mode}
            onChange={(e) => watch.getState().configure({ observationMode: e.target.value as ObservationMode })}
          >
            {(Object.keys(MODE_TITLES) as ObservationMode[]).map((m) => (
              <option key={m} value={m}>
                {MODE_TITLES[m]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="controls" role="toolbar" aria-label="Branch controls">
        <button onClick={() => (status === 'running' ? watch.getState().pause() : watch.getState().play())} disabled={!policy || status === 'done'}>
          {status === 'running' ? 'Pause branch' : 'Play branch'}
        </button>
        <button onClick={() => void watch.getState().step()} disabled={!policy || status === 'running' || status === 'done' || !!live}>
          Step branch
        </button>
        <button onClick={() => watch.getState().reset()}>Back to the branch point</button>
        <span className="hint" data-testid="branch-status">
          {modelStatus === 'loading'
            ? 'Loading the player…'
            : status === 'done'
              ? 'Game over.'
              : live
                ? 'Thinking…'
                : policy
                  ? `${policy.label} ready.`
                  : 'Choose a player.'}
        </span>
      </div>
      {(error || (modelStatus === 'error' && modelError)) && (
        <p className="error" role="alert">
          {error ?? modelError}
        </p>
      )}
    </div>
  );
}
