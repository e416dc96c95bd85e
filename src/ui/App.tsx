/**
 * The application shell: mode (Watch a player / Play yourself / Evaluate / Explore / Train), game switcher, the active view, and URL
 * sync so that any position or watch setting can be shared. Stores are created once per page and outlive
 * tab switches, so nothing is lost by changing mode or game.
 */
import { createElement, useEffect, useRef, useState } from 'react';
import { createModelsStore, DEFAULT_MODEL, playerOptions, unplayableReason, type ModelsStore, type PolicyChoice } from '../store/models';
import { createQuestionPlayStore, type QuestionPlayStore } from '../store/questionPlay';
import { createSnakePlayStore } from '../store/snakePlay';
import { defaultQuestionLink, formatLink, isQuestionLink, parseLink, type AppLink, type SnakeLink } from '../store/url';
import { createWatchStore, type WatchOpponent } from '../store/watch';
import { createEvaluateStore } from '../store/evaluate';
import { GAME_IDS, gameOf, isQuestionGameId, type GameId, type QuestionGameId } from '../games/registry';
import { BOT_NAMES, DEFAULT_SNAKE_OPTIONS } from '../games/snake';
import { questionPlayView } from './gameViews';
import { SnakePlay } from './SnakePlay';
import { WatchView } from './WatchView';
import { EvaluateView } from './EvaluateView';
import { attachAutosave, createEpisodesStore, type EpisodeMeta } from '../store/episodes';
import { createExploreStore } from '../store/explore';
import { getRecord } from '../persist';
import { ExploreView } from './ExploreView';
import { StorageAlert } from './StoragePanel';
import { createTrainStore } from '../store/train';
import { TrainClient } from '../workers/trainClient';
import { listRecords, loadCheckpoint, saveCheckpoint, saveRun } from '../persist';
import { TrainView } from './TrainView';
import { HelpOverlay, MODE_INTRO } from './Intro';
import { keyBelongsToControl, type AppMode } from './keys';
import { parseRuntimeChoice } from '../runtime/choice';
import { tryParsePolicySpec } from '../policy/spec';

type Mode = AppMode;
const MODE_LABELS: Record<Mode, string> = { watch: 'Watch the model', play: 'Play yourself', evaluate: 'Evaluate', explore: 'Explore', train: 'Train' };

/** The game tabs: every registered game, in the registry's order. */
const GAMES: { id: GameId; title: string; blurb: string }[] = GAME_IDS.map((id) => ({ id, title: gameOf(id).title, blurb: gameOf(id).blurb }));

function initialStores(link: AppLink, params: URLSearchParams) {
  const snakeLink: SnakeLink = isQuestionLink(link)
    ? { game: 'snake', seed: 1, opponent: 'lookahead', options: { ...DEFAULT_SNAKE_OPTIONS }, moves: [] }
    : link;
  // One Play store per question game: the link's own game starts at the link.
  const questions = Object.fromEntries(
    GAME_IDS.filter(isQuestionGameId).map((id) => [id, createQuestionPlayStore(isQuestionLink(link) && link.game === id ? link : defaultQuestionLink(id))]),
  ) as Record<QuestionGameId, QuestionPlayStore>;
  const snake = createSnakePlayStore(snakeLink);
  if (snakeLink.moves.length > 0) snake.getState().load(snakeLink);
  const opponentParam = params.get('opponent') ?? 'greedy';
  const opponent: WatchOpponent =
    opponentParam === 'self' || (BOT_NAMES as readonly string[]).includes(opponentParam) ? (opponentParam as WatchOpponent) : 'greedy';
  const watch = createWatchStore({ game: link.game, seed: link.seed, opponent });
  // A Watch link to a checkpoint saved in this browser resolves through the train store (IndexedDB).
  const models = createModelsStore('/models/', { savedModel: (name) => train.getState().savedModel(name) });
  const train = createTrainStore({
    startRun: TrainClient.start,
    persist: { saveRun, saveCheckpoint, loadCheckpoint, listRecords: () => listRecords('run') },
    playModelBytes: (name, bytes) => models.getState().playModelBytes(name, bytes),
  });
  return { snake, questions, watch, models, evaluate: createEvaluateStore({ models }), train, ...exploreStores() };
}

/** Saved episodes, the step-through explorer, and the player store its branches use (not Watch mode's). */
/**
 * The player to load for a game: the wanted one when it can play it, else the first that can (a Snake-only
 * model is not started on Rotation; the Player menu says why it is missing).
 */
async function choosePlayable(models: ModelsStore, wanted: PolicyChoice, game: GameId): Promise<void> {
  const s = models.getState();
  if (!unplayableReason(wanted, game, s)) return s.choice === wanted && s.status !== 'idle' ? undefined : s.choose(wanted);
  const first = playerOptions(s, game).playable[0];
  if (first) await s.choose(first.value);
}

function exploreStores() {
  return { episodes: createEpisodesStore(), explore: createExploreStore(), branchModels: createModelsStore() };
}

/** ?mode=explore&episode=<id>&step=<k> (k as shown, from 1). */
function exploreSearch(stores: ReturnType<typeof initialStores>): string {
  const { episode, index } = stores.explore.getState();
  const params = new URLSearchParams({ mode: 'explore' });
  if (episode) {
    params.set('episode', episode.id);
    params.set('step', String(index + 1));
  }
  return `?${params.toString()}`;
}

function watchSearch(stores: ReturnType<typeof initialStores>): string {
  const w = stores.watch.getState();
  const params = new URLSearchParams({ mode: 'watch', game: w.game, seed: String(w.seed) });
  if (gameOf(w.game).kind === 'env') params.set('opponent', w.opponent);
  params.set('player', stores.models.getState().choice);
  if (stores.models.getState().runtime !== 'auto') params.set('runtime', stores.models.getState().runtime);
  return `?${params.toString()}`;
}

export function App() {
  const [start] = useState(() => {
    const params = new URLSearchParams(window.location.search);
    return {
      link: parseLink(window.location.search),
      params,
      mode: (params.get('mode') === 'play' || params.get('mode') === 'evaluate' || params.get('mode') === 'explore' || params.get('mode') === 'train'
        ? params.get('mode')
        : 'watch') as Mode,
    };
  });
  const [stores] = useState(() => initialStores(start.link, start.params));
  const [game, setGame] = useState<GameId>(start.link.game);
  const [mode, setMode] = useState<Mode>(start.mode);
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      setHelp(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Every watched step is saved at once (a reload loses nothing); the explorer can follow the live game.
  const liveMeta = useRef<EpisodeMeta | null>(null);
  useEffect(() => attachAutosave(stores.watch, stores.episodes, { onEpisode: (meta) => (liveMeta.current = meta) }), [stores]);
  useEffect(() => {
    const id = start.params.get('episode');
    if (start.mode !== 'explore' || !id) return;
    void getRecord('episode', id)
      .catch(() => undefined)
      .then((record) => {
        if (record) stores.explore.getState().open(record, Number(start.params.get('step') ?? 1) - 1);
        else stores.explore.setState({ error: `The episode ${id} is not saved in this browser (import its JSONL to open it).` });
      });
  }, [stores, start]);

  // The watched player follows the models store; it starts playing as soon as it is ready.
  const modeRef = useRef(mode);
  modeRef.current = mode;
  useEffect(() => {
    const { models, watch } = stores;
    const unsubscribe = models.subscribe((s, prev) => {
      if (s.policy === prev.policy) return;
      watch.getState().setPolicy(s.policy);
      if (s.policy && modeRef.current === 'watch') watch.getState().play();
    });
    return () => {
      unsubscribe();
      watch.getState().pause();
      models.getState().policy?.dispose?.();
    };
  }, [stores]);

  const loadingPlayer = useRef(false);
  // The model is loaded the first time Watch mode is shown (default: the embedded checkpoint), not in Play.
  useEffect(() => {
    const models = stores.models.getState();
    if (mode !== 'watch' || models.status !== 'idle' || loadingPlayer.current) return;
    loadingPlayer.current = true;
    const player = start.params.get('player');
    stores.models.setState({ runtime: parseRuntimeChoice(start.params.get('runtime')) });
    const kind = player ? tryParsePolicySpec(player)?.kind : undefined;
    // A player the URL can name: a model, a bot, a local VLM folder, or the server / folder the forms ask for.
    const fromUrl =
      kind === 'bot' || kind === 'local-picked' || (kind === 'nano' && player !== 'nano') || (kind === 'local' && player !== 'local') || player === 'openai';
    const wanted = (fromUrl ? player : `nano:${DEFAULT_MODEL}`) as PolicyChoice;
    // The model list first: it says which games each model plays. A player the person picks while the list
    // loads is theirs to keep: the URL's player only applies if the choice is still the initial one.
    const initial = models.choice;
    void models.refresh().then(() => {
      if (stores.models.getState().choice !== initial) return;
      return choosePlayable(stores.models, wanted, stores.watch.getState().game);
    });
  }, [mode, stores, start]);

  // Explore shows the episodes of every game: the game tabs follow the one open there.
  useEffect(
    () =>
      stores.explore.subscribe((s, prev) => {
        if (s.episode && s.episode !== prev.episode) setGame(s.episode.game);
      }),
    [stores],
  );
  /** A game tab: in Explore it also closes an open episode of another game. */
  const chooseGame = (g: GameId) => {
    const open = stores.explore.getState().episode;
    if (mode === 'explore' && open && open.game !== g) stores.explore.getState().close();
    setGame(g);
  };

  useEffect(() => {
    if (mode !== 'watch') stores.watch.getState().pause();
    // Explore follows the live Watch game as it is: Watch takes up the tab's game when it is shown again.
    if (mode !== 'explore' && stores.watch.getState().game !== game) {
      stores.watch.getState().configure({ game });
      const models = stores.models.getState();
      if (models.status !== 'idle' && unplayableReason(models.choice, game, models)) void choosePlayable(stores.models, models.choice, game);
    }
  }, [mode, game, stores]);

  /** Watch's game-over link: the watched episode, from its first step, in Explore. */
  const replayInExplore = () => {
    const meta = liveMeta.current;
    if (!meta) return;
    stores.explore.getState().follow(stores.watch, () => liveMeta.current ?? meta);
    stores.explore.getState().go(0);
    setMode('explore');
  };

  useEffect(() => {
    const write = () => {
      const search =
        mode === 'train'
          ? '?mode=train'
          : mode === 'explore'
            ? exploreSearch(stores)
            : mode === 'evaluate'
              ? `?mode=evaluate&game=${game}`
              : mode === 'watch'
                ? watchSearch(stores)
                : `${formatLink(isQuestionGameId(game) ? stores.questions[game].getState().link : stores.snake.getState().link)}&mode=play`;
      window.history.replaceState(null, '', search);
    };
    write();
    const subs =
      mode === 'explore'
        ? [stores.explore.subscribe((s, p) => (s.episode?.id !== p.episode?.id || s.index !== p.index) && write())]
        : mode === 'evaluate' || mode === 'train'
          ? []
          : mode === 'watch'
            ? [
                stores.watch.subscribe((s, p) => (s.seed !== p.seed || s.game !== p.game || s.opponent !== p.opponent) && write()),
                stores.models.subscribe((s, p) => (s.choice !== p.choice || s.runtime !== p.runtime) && write()),
              ]
            : [
                isQuestionGameId(game)
                  ? stores.questions[game].subscribe((s, p) => s.link !== p.link && write())
                  : stores.snake.subscribe((s, p) => s.link !== p.link && write()),
              ];
    return () => subs.forEach((u) => u());
  }, [mode, game, stores]);
  useEffect(() => () => stores.snake.getState().dispose(), [stores]);

  return (
    <div className="app">
      <header className="app-head">
        <h1>ViGaL Playground</h1>
        <nav className="tabs" role="tablist" aria-label="Game">
          {GAMES.map((g) => (
            <button key={g.id} role="tab" aria-selected={game === g.id} className={game === g.id ? 'on' : ''} onClick={() => chooseGame(g.id)} title={g.blurb}>
              {g.title}
            </button>
          ))}
        </nav>
        <p className="tagline">{GAMES.find((g) => g.id === game)?.blurb}</p>
        <nav className="modes" aria-label="Mode">
          {(['watch', 'play', 'evaluate', 'explore', 'train'] as const).map((m) => (
            <button key={m} aria-pressed={mode === m} className={mode === m ? 'on' : ''} onClick={() => setMode(m)} title={MODE_INTRO[m]}>
              {MODE_LABELS[m]}
            </button>
          ))}
        </nav>
        <button
          className="help-button"
          onClick={() => setHelp(true)}
          aria-label="Keyboard shortcuts and help"
          aria-keyshortcuts="?"
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
      </header>
      <p className="mode-intro" data-testid="mode-intro">
        {MODE_INTRO[mode]}
      </p>
      <HelpOverlay open={help} mode={mode} onClose={() => setHelp(false)} />
      <StorageAlert episodes={stores.episodes} />
      <main
        aria-label={`${mode === 'train' ? 'Train' : mode === 'explore' ? 'Explore' : mode === 'evaluate' ? 'Evaluate' : mode === 'watch' ? 'Watch' : 'Play'} ${game}`}
      >
        {mode === 'train' ? (
          <TrainView
            train={stores.train}
            models={stores.models}
            onWatch={() => {
              setGame(stores.train.getState().settings.game);
              setMode('watch');
              stores.watch.getState().play();
            }}
          />
        ) : mode === 'explore' ? (
          <ExploreView
            explore={stores.explore}
            episodes={stores.episodes}
            models={stores.branchModels}
            watch={stores.watch}
            liveMeta={() => liveMeta.current}
          />
        ) : mode === 'evaluate' ? (
          <EvaluateView store={stores.evaluate} models={stores.models} game={game} />
        ) : mode === 'watch' ? (
          <WatchView
            watch={stores.watch}
            models={stores.models}
            onReplay={replayInExplore}
            replayHref={() => (liveMeta.current ? `?mode=explore&episode=${encodeURIComponent(liveMeta.current.id)}&step=1` : null)}
          />
        ) : isQuestionGameId(game) ? (
          createElement(questionPlayView(game), { store: stores.questions[game] })
        ) : (
          <SnakePlay store={stores.snake} />
        )}
      </main>
    </div>
  );
}
