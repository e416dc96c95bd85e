/**
 * Evaluate mode: several policies on one seeded held-out set, side by side (the numbers `vigal eval
 * --policies` prints), Snake head-to-head games with Elo, Rotation confusion matrices, and the saved
 * evaluations. A thin view on store/evaluate.ts; models run in their workers, so the page stays live.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { parseRuntimeChoice, RUNTIME_CHOICES, RUNTIME_LABELS } from '../runtime/choice';
import { MOVES, SNAKE_COLOR_NAMES, snakeScene, type Move, type SnakeState } from '../games/snake';
import type { Observation } from '../policy/types';
import type { EvaluationRecord } from '../records/types';
import { ELO_INITIAL, ELO_K } from '../rl/elo';
import { heldOutSetChoices, heldOutSetLabel, heldOutSetOf, sameHeldOutSet } from '../rl/heldOutSets';
import type { EvalReport } from '../rl/evaluate';
import { pairedAgainstFirst, pairedCells } from '../rl/paired';
import { eloOfMatches, headToHeadTotals, type HeadToHeadTotals } from '../rl/suite';
import { SUPPORTED_OBSERVATION_MODES, type EvaluateStore } from '../store/evaluate';
import type { ModelsStore } from '../store/models';
import { BarChart, ConfusionMatrix } from './EvaluateCharts';
import { SceneView } from './SceneView';
import { Term } from './Term';
import { useStore } from './useStore';
import './Evaluate.css';
import { GAME_IDS, gameOf, questionGame, type GameId, type QuestionGameId } from '../games/registry';

/** ', own length >= 8' and the like for a record of a non-standard set (its reports name the set), else ''. */
const recordSetLabel = (r: EvaluationRecord): string => (r.reports[0] ? heldOutSetLabel(heldOutSetOf(r.reports[0])) : '');

export const pct = (x: number | undefined | null): string => (x === undefined || x === null ? '–' : `${(100 * x).toFixed(1)}%`);
export const num = (x: number | undefined | null, digits: number): string => (x === undefined || x === null ? '–' : x.toFixed(digits));
const OBSERVATION_LABELS: Record<string, string> = { 'image+text': 'Image and text', image: 'Image only', text: 'Text only' };

export function EvaluateView({ store, models, game }: { store: EvaluateStore; models: ModelsStore; game: GameId }) {
  const status = useStore(store, (s) => s.status);
  const current = useStore(store, (s) => s.current);
  const history = useStore(store, (s) => s.history);
  const question = useStore(store, (s) => s.question);

  // The header's game tabs choose the game (applied between runs).
  useEffect(() => {
    if (status !== 'running' && status !== 'loading') store.getState().configure({ game });
  }, [game, status, store]);
  useEffect(() => {
    void store.getState().loadHistory();
    if (models.getState().available.length === 0) void models.getState().refresh();
  }, [store, models]);

  return (
    <div className="eval-layout">
      <aside className="eval-side">
        <SetupPanel store={store} models={models} />
        <HistoryPanel store={store} history={history} current={current} />
      </aside>
      <section className="eval-main" aria-label="Evaluation results">
        {question && <HumanQuestion store={store} question={question} />}
        {/* Only this game's evaluation (the tabs switch game); while one runs, its partial results or a note, never "No evaluation". */}
        {current && current.game === game ? (
          <Results record={current} history={history} running={status === 'running'} />
        ) : status === 'running' || status === 'loading' ? (
          question ? null : (
            <p className="note" data-testid="eval-running">
              Running: the results appear here as each policy finishes.
            </p>
          )
        ) : (
          <EmptyState />
        )}
      </section>
    </div>
  );
}

function SetupPanel({ store, models }: { store: EvaluateStore; models: ModelsStore }) {
  const s = useStore(store, (x) => x);
  const runtime = useStore(models, (m) => m.runtime);
  // The offered policies follow the models store: its model list, the connected server, the loaded VLM.
  useStore(models, (m) => m.available);
  useStore(models, (m) => m.policy);
  useStore(models, (m) => m.endpoint);
  const busy = s.status === 'running' || s.status === 'loading';
  const options = s.options();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) store.getState().stop();
    else void store.getState().run();
  };
  const p = s.progress;
  const setChoices = heldOutSetChoices(s.game);
  return (
    <form className="panel eval-setup" aria-label="Evaluation set-up" onSubmit={onSubmit}>
      <header className="panel-head">
        <h2>Set-up</h2>
        <span className="note">{gameOf(s.game).title} (switch above)</span>
      </header>
      <div className="form-grid">
        <label>
          Held-out states
          <input
            type="number"
            name="n"
            min={1}
            max={100000}
            value={s.n}
            disabled={busy}
            onChange={(e) => e.target.value !== '' && store.getState().configure({ n: Number(e.target.value) })}
          />
        </label>
        <label>
          Seed
          <input
            type="number"
            name="seed"
            min={0}
            value={s.seed}
            disabled={busy}
            onChange={(e) => e.target.value !== '' && store.getState().configure({ seed: Number(e.target.value) })}
          />
        </label>
        {gameOf(s.game).kind === 'env' && (
          <label>
            Games per pairing and seat
            <input
              type="number"
              name="games"
              min={0}
              max={1000}
              value={s.gamesPerPairing}
              disabled={busy}
              onChange={(e) => e.target.value !== '' && store.getState().configure({ gamesPerPairing: Number(e.target.value) })}
            />
          </label>
        )}
        <label>
          Observation
          <select
            aria-label="Observation"
            value={s.observationMode}
            disabled={busy}
            onChange={(e) => store.getState().configure({ observationMode: e.target.value as typeof s.observationMode })}
          >
            {SUPPORTED_OBSERVATION_MODES.map((m) => (
              <option key={m} value={m}>
                {OBSERVATION_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        {setChoices.length > 1 && (
          <label>
            Held-out set
            <select
              aria-label="Held-out set"
              value={setChoices.findIndex((c) => sameHeldOutSet(c.set, s.set))}
              disabled={busy}
              onChange={(e) => store.getState().configure({ set: setChoices[Number(e.target.value)]?.set ?? {} })}
            >
              {setChoices.map((c, i) => (
                <option key={c.label} value={i}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="wide">
          Model runtime
          <select aria-label="Model runtime" value={runtime} disabled={busy} onChange={(e) => models.setState({ runtime: parseRuntimeChoice(e.target.value) })}>
            {RUNTIME_CHOICES.map((r) => (
              <option key={r} value={r}>
                {RUNTIME_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="eval-policies" disabled={busy}>
        <legend>Policies</legend>
        {options.map((o) => (
          <label key={o.spec} className={o.unavailable ? 'off' : ''}>
            <input
              type="checkbox"
              checked={s.selected.includes(o.spec)}
              disabled={o.unavailable !== null}
              onChange={(e) => store.getState().toggle(o.spec, e.target.checked)}
            />
            <span>{o.label}</span>
            {o.unavailable && <span className="why">({o.unavailable})</span>}
          </label>
        ))}
      </fieldset>
      <p className="hint">
        Every policy answers the same {s.n} states (seed {s.seed}
        {heldOutSetLabel(s.set)})
        {s.observationMode !== 'image+text' ? `, shown ${OBSERVATION_LABELS[s.observationMode]?.toLowerCase()} (bots read the state and are unaffected)` : ''}
        {gameOf(s.game).kind === 'env' && s.gamesPerPairing > 0
          ? `; each pair of non-human policies then plays ${s.gamesPerPairing} game${s.gamesPerPairing === 1 ? '' : 's'} from each seat`
          : ''}
        . Nano models run in a worker, fp32, as in the CLI.
      </p>
      <div className="controls">
        <button type="submit" className={busy ? '' : 'primary'} disabled={!busy && s.selected.length === 0} data-testid="eval-run">
          {busy ? 'Stop' : 'Run evaluation'}
        </button>
        <span className="eval-status" aria-live="polite" data-testid="eval-status">
          {s.status === 'loading' && `Loading ${s.loadingWhat ?? ''}…`}
          {s.status === 'running' &&
            p &&
            (p.phase === 'held-out'
              ? `${p.policy}: question ${Math.min(p.done + 1, p.total)} of ${p.total}`
              : `${p.policy} vs ${p.opponent}: game ${Math.min(p.done + 1, p.total)} of ${p.total}`)}
          {s.status === 'running' && !p && 'Starting…'}
          {s.status === 'done' && 'Done, saved below.'}
          {s.status === 'stopped' && 'Stopped; nothing saved.'}
        </span>
      </div>
      {busy && (
        <progress max={Math.max(1, p?.overallTotal ?? 1)} value={p?.overallDone ?? 0} aria-label="Evaluation progress" data-testid="eval-progress">
          {p ? `${p.overallDone} of ${p.overallTotal}` : ''}
        </progress>
      )}
      {s.error && (
        <p className="error" role="alert" data-testid="eval-error">
          {s.error}
        </p>
      )}
      {Object.keys(s.backends).length > 0 && (
        <p className="note">
          {Object.entries(s.backends)
            .map(([id, b]) => `${id}: ${b}`)
            .join(' · ')}
        </p>
      )}
    </form>
  );
}

function EmptyState() {
  return (
    <div className="empty eval-empty" data-testid="eval-empty">
      <div>
        <p>
          <strong>No evaluation on show.</strong>
        </p>
        <p>
          Tick the policies to compare, then <em>Run evaluation</em>. Bots answer in milliseconds; the nano model takes about half a second an answer on WASM,
          and a Snake game against it a few dozen answers.
        </p>
        <p>
          Tick <em>You</em> to answer the held-out questions yourself and see how you compare. Evaluations from <code>vigal eval --jsonl</code> open with{' '}
          <em>Import JSONL</em>.
        </p>
      </div>
    </div>
  );
}

function Results({ record, history, running }: { record: EvaluationRecord; history: EvaluationRecord[]; running: boolean }) {
  // Snake's reports carry best- and worst-move accuracy; the columns follow the data.
  const snake = record.reports.some((r) => r.best_accuracy !== undefined);
  const tiles = record.reports.some((r) => r.tiles_right !== undefined);
  const totals = useMemo(() => new Map(headToHeadTotals(record.matches).map((t) => [t.policy, t])), [record]);
  const labels = useMemo(() => record.reports.map((r) => r.policy), [record]);
  const charts = useMemo(
    () => ({
      accuracy: record.reports.map((r) => r.accuracy),
      format: record.reports.map((r) => r.format_rate),
      reward: record.reports.map((r) => r.mean_reward),
    }),
    [record],
  );
  const pctFmt = useMemo(() => (v: number) => `${Math.round(v * 100)}%`, []);
  const rewardFmt = useMemo(() => (v: number) => v.toFixed(2), []);
  const hasGames = record.matches.length > 0;
  return (
    <div className="eval-results">
      <header className="eval-results-head">
        <h2>
          {gameOf(record.game).title}: {record.n} held-out states, seed {record.seed}
          {recordSetLabel(record)}
        </h2>
        <span className="note">
          {OBSERVATION_LABELS[record.observationMode]} · {new Date(record.createdAt).toLocaleString()}
          {running ? ' · running…' : ''}
        </span>
      </header>
      {record.reports.length > 0 && (
        <div className="table-scroll">
          <table className="eval-table" data-testid="eval-table">
            <caption>Held-out answers: every policy on the same {record.n} states</caption>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">
                  <Term term="accuracy">Accuracy</Term>
                </th>
                <th scope="col">
                  <Term term="format">Format</Term>
                </th>
                <th scope="col">
                  <Term term="reward">Mean reward</Term>
                </th>
                {snake && <th scope="col">Best move</th>}
                {snake && <th scope="col">Worst moves</th>}
                {tiles && (
                  <th scope="col">
                    <Term term="tiles">Tiles right</Term>
                  </th>
                )}
                <th scope="col">Tokens</th>
                <th scope="col">Seconds</th>
              </tr>
            </thead>
            <tbody>
              {record.reports.map((r) => {
                const cell = (metric: string) => ({ 'data-testid': `cell-${r.policy}-${metric}` });
                return (
                  <tr key={r.policy}>
                    <th scope="row">{r.policy}</th>
                    <td {...cell('accuracy')}>{pct(r.accuracy)}</td>
                    <td {...cell('format')}>{pct(r.format_rate)}</td>
                    <td {...cell('reward')}>{num(r.mean_reward, 3)}</td>
                    {snake && <td {...cell('best')}>{pct(r.best_accuracy)}</td>}
                    {snake && <td {...cell('worst')}>{pct(r.worst_accuracy)}</td>}
                    {tiles && <td {...cell('tiles')}>{pct(r.tiles_right)}</td>}
                    <td {...cell('tokens')}>{num(r.mean_new_tokens, 0)}</td>
                    <td>{num(r.seconds, 1)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!running && <PairedTable reports={record.reports} />}
      {record.reports.length > 0 && !running && (
        <div className="eval-charts">
          <BarChart title="Accuracy" labels={labels} values={charts.accuracy} max={1} format={pctFmt} color="#2f5bd3" testId="chart-accuracy" />
          <BarChart title="Format rate" labels={labels} values={charts.format} max={1} format={pctFmt} color="#8a6200" testId="chart-format" />
          <BarChart title="Mean reward (max 1.1)" labels={labels} values={charts.reward} max={1.1} format={rewardFmt} color="#1f8a4c" testId="chart-reward" />
        </div>
      )}
      {record.reports.some((r) => r.confusion) && (
        <section aria-label="Confusion matrices" className="eval-confusions">
          <h3>Confusion matrices</h3>
          <div className="eval-confusion-grid">
            {record.reports.map((r) => r.confusion && <ConfusionMatrix key={r.policy} policy={r.policy} confusion={r.confusion} />)}
          </div>
        </section>
      )}
      {hasGames && <GamesTable totals={[...totals.values()]} />}
      {hasGames && <MatchesTable record={record} />}
      {record.elo && record.elo.length > 0 && <EloTable title="Elo, this evaluation" rows={record.elo} testId="elo-table" />}
      {gameOf(record.game).kind === 'env' && <AllGamesElo history={history} />}
    </div>
  );
}

/** Each policy's games over both seats: ViGaL's win/tie/loss, mean score and rounds survived. */
function GamesTable({ totals }: { totals: HeadToHeadTotals[] }) {
  return (
    <div className="table-scroll">
      <table className="eval-table" data-testid="games-table">
        <caption>Head-to-head games, per policy over both seats</caption>
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">Games</th>
            <th scope="col">Won / tied / lost</th>
            <th scope="col">Win rate</th>
            <th scope="col">Mean score</th>
            <th scope="col">Survival rounds</th>
          </tr>
        </thead>
        <tbody>
          {totals.map((t) => {
            const cell = (metric: string) => ({ 'data-testid': `cell-${t.policy}-${metric}` });
            return (
              <tr key={t.policy}>
                <th scope="row">{t.policy}</th>
                <td>{t.games}</td>
                <td {...cell('wtl')}>
                  {t.wins} / {t.ties} / {t.losses}
                </td>
                <td {...cell('winrate')}>{pct(t.win_rate)}</td>
                <td {...cell('score')}>{num(t.mean_score, 2)}</td>
                <td {...cell('survival')}>{num(t.mean_survival, 1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function MatchesTable({ record }: { record: EvaluationRecord }) {
  return (
    <div className="table-scroll">
      <table className="eval-table" data-testid="matches-table">
        <caption>
          Head-to-head: {record.matches[0]?.games} game{record.matches[0]?.games === 1 ? '' : 's'} per pairing and seat; game g starts from seed{' '}
          {record.matches[0]?.seed ?? record.seed} + g
        </caption>
        <thead>
          <tr>
            <th scope="col">Seat 1 (red)</th>
            <th scope="col" className="name">
              Seat 2 (blue)
            </th>
            <th scope="col">
              <abbr title="won / tied / lost, from seat 1">W / T / L</abbr>
            </th>
            <th scope="col">
              <abbr title="mean score, seat 1 : seat 2">Score</abbr>
            </th>
            <th scope="col">Rounds</th>
            <th scope="col" className="name">
              Games
            </th>
          </tr>
        </thead>
        <tbody>
          {record.matches.map((m) => (
            <tr key={`${m.policy}>${m.opponent}`} data-testid={`match-${m.policy}-${m.opponent}`}>
              <th scope="row">{m.policy}</th>
              <td className="name">{m.opponent}</td>
              <td>
                {m.wins} / {m.ties} / {m.losses}
              </td>
              <td>
                {m.mean_score.toFixed(2)} : {m.mean_opponent_score.toFixed(2)}
              </td>
              <td>{m.mean_rounds.toFixed(1)}</td>
              <td className="outcomes" aria-label={`results from seat 1: ${(m.outcomes ?? []).join(' ')}`}>
                {(m.outcomes ?? []).join('')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EloTable({ title, rows, testId, note }: { title: string; rows: EvaluationRecord['elo'] & object; testId: string; note?: string }) {
  return (
    <div className="table-scroll">
      <table className="eval-table elo" data-testid={testId}>
        <caption>
          <Term term="elo">{title}</Term>{' '}
          <span className="note">
            (K {ELO_K}, start {ELO_INITIAL}, games in play order{note ? `; ${note}` : ''})
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col" className="name">
              Policy
            </th>
            <th scope="col">Rating</th>
            <th scope="col">Games</th>
            <th scope="col">Won / tied / lost</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.policy}>
              <td>{i + 1}</td>
              <th scope="row">{r.policy}</th>
              <td data-testid={`${testId}-${r.policy}`}>{r.rating.toFixed(0)}</td>
              <td>{r.games}</td>
              <td>
                {r.wins} / {r.ties} / {r.losses}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Elo over every Snake game in every saved evaluation, oldest evaluation first. */
function AllGamesElo({ history }: { history: EvaluationRecord[] }) {
  const { rows, games, evals } = useMemo(() => {
    // Only an env game (Snake) plays head-to-head games.
    const snakeEvals = history.filter((r) => r.matches.length > 0).sort((a, b) => a.createdAt - b.createdAt);
    const matches = snakeEvals.flatMap((r) => r.matches);
    return { rows: eloOfMatches(matches), games: matches.reduce((s, m) => s + (m.outcomes?.length ?? 0), 0), evals: snakeEvals.length };
  }, [history]);
  if (evals < 2) return null;
  return (
    <EloTable title={`Elo over all saved Snake games (${games} games, ${evals} evaluations)`} rows={rows} testId="elo-all" note="evaluations oldest first" />
  );
}

function HistoryPanel({ store, history, current }: { store: EvaluateStore; history: EvaluationRecord[]; current: EvaluationRecord | null }) {
  const archiveError = useStore(store, (s) => s.archiveError);
  const busy = useStore(store, (s) => s.status === 'running' || s.status === 'loading');
  const game = useStore(store, (s) => s.game);
  // This game's evaluations only (the header's tabs switch game).
  const shown = history.filter((r) => r.game === game);
  const others = history.length - shown.length;
  const file = useRef<HTMLInputElement>(null);
  const [importNote, setImportNote] = useState<string | null>(null);
  const onImport = async (f: File | undefined) => {
    if (!f) return;
    const res = await store.getState().importJsonl(await f.text(), f.name);
    setImportNote(
      `${f.name}: ${res.imported} evaluation${res.imported === 1 ? '' : 's'} imported${res.skipped ? `, ${res.skipped} other records skipped (open them in Storage)` : ''}${res.errors.length ? `; ${res.errors.length} bad line${res.errors.length === 1 ? '' : 's'}: ${res.errors.slice(0, 3).join('; ')}` : ''}.`,
    );
    if (file.current) file.current.value = '';
  };
  const download = () => {
    const text = store.getState().exportJsonl();
    if (!text || !current) return;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/jsonl' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `evaluation-${current.game}-${current.seed}-${current.id.slice(0, 8)}.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section className="panel" aria-label="Saved evaluations">
      <header className="panel-head">
        <h2>Saved evaluations</h2>
      </header>
      {shown.length === 0 && <p className="note">None yet for {gameOf(game).title}: finished runs are kept in this browser.</p>}
      <ul className="eval-history" data-testid="eval-history">
        {shown.map((r) => (
          <li key={r.id} className={current?.id === r.id ? 'on' : ''}>
            <button type="button" onClick={() => store.getState().show(r.id)} disabled={busy} aria-current={current?.id === r.id}>
              <span>
                {r.game} · n {r.n} · seed {r.seed}
                {recordSetLabel(r)}
              </span>
              <span className="note">
                {r.reports
                  .map((x) => x.policy)
                  .concat(r.reports.length ? [] : [...new Set(r.matches.flatMap((m) => [m.policy, m.opponent]))])
                  .join(', ')}
              </span>
              <span className="note">{new Date(r.createdAt).toLocaleString()}</span>
            </button>
            <button
              type="button"
              className="remove"
              aria-label={`Delete the evaluation of ${new Date(r.createdAt).toLocaleString()}`}
              onClick={() => void store.getState().remove(r.id)}
              disabled={busy}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="controls">
        <label className="file-button">
          Import JSONL
          <input
            ref={file}
            type="file"
            accept=".jsonl,.json,application/json,text/plain"
            onChange={(e) => void onImport(e.target.files?.[0])}
            data-testid="eval-import"
          />
        </label>
        <button type="button" onClick={download} disabled={!current || busy} data-testid="eval-export">
          Download JSONL
        </button>
      </div>
      {others > 0 &&
        GAME_IDS.filter((g) => g !== game).map((g) => {
          const count = history.filter((r) => r.game === g).length;
          return count > 0 ? (
            <p className="note" key={g}>
              {count} saved {gameOf(g).title} evaluation{count === 1 ? '' : 's'} under the {gameOf(g).title} tab.
            </p>
          ) : null;
        })}
      {importNote && (
        <p className="note" role="status">
          {importNote}
        </p>
      )}
      {archiveError && (
        <p className="error" role="alert">
          {archiveError}
        </p>
      )}
    </section>
  );
}

/** The held-out question the human is asked: the board or the views, and the answer controls. */
function HumanQuestion({ store, question }: { store: EvaluateStore; question: Observation }) {
  const [best, setBest] = useState<Move | null>(null);
  const [worst, setWorst] = useState<Move[]>([]);
  useEffect(() => {
    setBest(null);
    setWorst([]);
  }, [question]);
  const progress = useStore(store, (s) => s.progress);
  const spec = gameOf(question.game);
  // The env game's board (Snake's form below), or a question game's images.
  const snakeState = spec.kind === 'env' ? (question.state as SnakeState) : null;
  const scene = useMemo(() => (snakeState ? snakeScene(snakeState, { size: 320, axes: true }) : null), [snakeState]);
  const views = useMemo(() => (spec.kind === 'question' ? spec.scenes(question.state, { size: 150, axes: false, marks: true }) : []), [spec, question]);
  const options = spec.kind === 'question' ? (questionGame(question.game)?.options(question.state) ?? null) : null;
  const [typed, setTyped] = useState('');
  const first = useRef<HTMLInputElement | HTMLButtonElement | null>(null);
  useEffect(() => first.current?.focus(), [question]);
  const where = progress ? ` ${progress.done + 1} of ${progress.total}` : '';
  return (
    <section className="panel eval-question" aria-label="Your question" data-testid="eval-question">
      <header className="panel-head">
        <h2>Your turn: question{where}</h2>
        <button type="button" onClick={() => store.getState().stop()}>
          Stop
        </button>
      </header>
      {snakeState && scene && (
        <form
          className="eval-question-body"
          onSubmit={(e) => {
            e.preventDefault();
            if (best) store.getState().answer({ game: 'snake', best, worst });
          }}
        >
          {question.images.length > 0 ? (
            <SceneView scene={scene} label={`Snake board; you are the ${SNAKE_COLOR_NAMES[snakeState.you - 1] ?? ''} snake`} />
          ) : (
            <pre className="prompt-text eval-text-only" tabIndex={0} aria-label="The question (text only)">
              {question.prompt}
            </pre>
          )}
          <div className="eval-answer">
            <p>
              You are the <strong>{SNAKE_COLOR_NAMES[snakeState.you - 1]}</strong> snake. Name the best move and every move that would kill you at once.
            </p>
            <fieldset>
              <legend>Best move</legend>
              {MOVES.map((m, i) => (
                <label key={m}>
                  <input
                    ref={i === 0 ? (el) => void (first.current = el) : undefined}
                    type="radio"
                    name="best"
                    value={m}
                    checked={best === m}
                    onChange={() => setBest(m)}
                  />{' '}
                  {m}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>Fatal moves (none ticked = None)</legend>
              {MOVES.map((m) => (
                <label key={m}>
                  <input
                    type="checkbox"
                    checked={worst.includes(m)}
                    onChange={(e) => setWorst(e.target.checked ? MOVES.filter((x) => x === m || worst.includes(x)) : worst.filter((x) => x !== m))}
                  />{' '}
                  {m}
                </label>
              ))}
            </fieldset>
            <button type="submit" className="primary" disabled={!best}>
              Answer
            </button>
            {question.images.length > 0 && (
              <details>
                <summary>The prompt a model gets</summary>
                <pre className="prompt-text small">{question.prompt}</pre>
              </details>
            )}
          </div>
        </form>
      )}
      {spec.kind === 'question' && (
        <div className="eval-question-body">
          {question.images.length === 0 && (
            <pre className="prompt-text eval-text-only" tabIndex={0} aria-label="The question (text only)">
              {question.prompt}
            </pre>
          )}
          <div className="pair-images">
            {(question.images.length > 0 ? views : []).map((s, i) => (
              <div className="numbered" key={i}>
                <span className="image-number">Image {i + 1}</span>
                <SceneView scene={s} label={`${spec.title} image ${i + 1}`} />
              </div>
            ))}
          </div>
          <div className="eval-answer">
            <p>{questionGame(question.game)?.ask(question.state, views.length)}</p>
            <div className="answers">
              {options ? (
                options.map((c, i) => (
                  <button
                    key={c}
                    type="button"
                    ref={i === 0 ? (el) => void (first.current = el) : undefined}
                    onClick={() => store.getState().answer({ game: question.game as QuestionGameId, answer: c })}
                  >
                    {c}
                  </button>
                ))
              ) : (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (typed.trim() !== '') store.getState().answer({ game: question.game as QuestionGameId, answer: typed.trim() });
                    setTyped('');
                  }}
                >
                  <input ref={(el) => void (first.current = el)} aria-label="Your answer" value={typed} onChange={(e) => setTyped(e.target.value)} />
                  <button type="submit">Answer</button>
                </form>
              )}
            </div>
            <details>
              <summary>The prompt a model gets</summary>
              <pre className="prompt-text small">{question.prompt}</pre>
            </details>
          </div>
        </div>
      )}
    </section>
  );
}

/** Every policy against the first, state by state: what a close accuracy difference is made of. */
function PairedTable({ reports }: { reports: readonly EvalReport[] }) {
  const rows = pairedAgainstFirst(reports);
  if (rows.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="eval-table" data-testid="paired-table">
        <caption>
          State by state against {rows[0]!.base}: its mistakes the policy fixed, its right answers the policy broke, and{' '}
          <Term term="mcnemar">McNemar&apos;s exact p</Term>
          (small: the difference is unlikely to be chance)
        </caption>
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">Fixed</th>
            <th scope="col">Broken</th>
            <th scope="col">Net</th>
            <th scope="col">
              <Term term="mcnemar">p</Term>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.other} data-testid={`paired-${c.other}`}>
              <th scope="row">{c.other}</th>
              {pairedCells(c).map((text, i) => (
                <td key={i}>{text}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
