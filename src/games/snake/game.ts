/** Snake as a registered game (games/game.ts): an env game, two snakes, many steps. */
import type { EnvGame, GameVerdict, HeldOutSelector, ReportTally } from '../game';
import type { Rng } from '../../util/rng';
import { streamSeed } from '../../util/streams';
import { snakeLabels, type SnakeLabels } from './labels';
import { snakePrompt } from './prompt';
import { readFullSnakePrompt } from './readPrompt';
import { snakeTrace } from './trace';
import { judgeSnakeAnswer, parseSnakeAnswer, scoreSnake } from './reward';
import { BOT_NAMES, SNAKE_BOTS } from './bots';
import { sampleSnakeStates, snakeStateKey } from './sampler';
import { snakeScene } from './scene';
import { DEFAULT_SNAKE_OPTIONS, MOVES, parseSnakeState, type Move, type SnakeState } from './types';

/** `--min-length 1` would be every length: the default set is that, from its own stream. */
export const LONG_SNAKE_MIN = 2;
/**
 * The longest minimum offered: bot games on the 10 x 10 board reach length 21-25 in about 1% of states
 * and longer in well under 0.1%, so a few hundred states above 25 would take thousands of games.
 */
export const LONG_SNAKE_MAX = 25;
/** A long set has no upper length: the board's area bounds it. */
export const LONG_SNAKE_CAP = DEFAULT_SNAKE_OPTIONS.width * DEFAULT_SNAKE_OPTIONS.height;

/** Lines that state the position: the 'Current board:' block of the full prompt, four compact lines. */
const COMPACT_POSITION_LINE = /^(You|Enemy|Apples|Last move):/;

function moveList(t: Record<string, unknown>, key: 'best' | 'worst', what = `ground truth '${key}'`): Move[] {
  const list = t[key];
  if (!Array.isArray(list) || !list.every((m) => (MOVES as readonly unknown[]).includes(m))) {
    throw new Error(`snake ${what} must be a list of ${MOVES.join(', ')}; got ${JSON.stringify(list)}`);
  }
  return list as Move[];
}

function heldOutStates(n: number, seed: number, set: HeldOutSelector = {}): SnakeState[] {
  if (set.minLength === undefined) return sampleSnakeStates(streamSeed(seed, 'heldOut'), n);
  const minLength = set.minLength;
  if (!Number.isInteger(minLength) || minLength < LONG_SNAKE_MIN || minLength > LONG_SNAKE_MAX) {
    throw new Error(`heldOutPositions: minLength must be an integer in [${LONG_SNAKE_MIN}, ${LONG_SNAKE_MAX}], got ${minLength}`);
  }
  return sampleSnakeStates(streamSeed(seed, 'heldOutLong'), n, { minLength, maxLength: LONG_SNAKE_CAP });
}

/** Best-move and worst-move accuracy apart (a report's `best_accuracy`, `worst_accuracy`). */
function snakeTally(): ReportTally<SnakeState, SnakeLabels> {
  let best = 0;
  let worst = 0;
  return {
    add(verdict, truth) {
      const { bestRight, worstRight } = judgeSnakeAnswer(parseSnakeAnswerOf(verdict), truth);
      best += bestRight ? 1 : 0;
      worst += worstRight ? 1 : 0;
    },
    fields: (k) => ({ best_accuracy: best / k, worst_accuracy: worst / k }),
  };
}

/** A Snake verdict keeps the parsed answer (scoreSnake's SnakeVerdict); the tally reads it back. */
type SnakeGameVerdict = GameVerdict & ReturnType<typeof scoreSnake>;
const parseSnakeAnswerOf = (v: GameVerdict) => v as SnakeGameVerdict;

/** Snake's exported truth: ViGaL's labels of the state (and the state, so rollout dumps can be replayed). */
export interface SnakeGroundTruth {
  game: 'snake';
  best: Move[];
  worst: Move[];
  state?: SnakeState;
}

/** The first words of the full prompt (prompt.ts). */
const SNAKE_OPENING = 'You control a snake in a game of Snake';

export const snakeGame: EnvGame<SnakeState, SnakeLabels, SnakeGroundTruth> = {
  id: 'snake',
  title: 'Snake',
  blurb: 'Two snakes, simultaneous moves; name the best and the worst move.',
  playKeys: [
    { keys: ['←', '↑', '→', '↓'], does: 'steer the red snake (or W A S D)' },
    { keys: ['Space'], does: 'pause / go on' },
    { keys: ['N'], does: 'play one round' },
    { keys: ['R'], does: 'new game with the next seed' },
  ],
  kind: 'env',
  dataSource: 'vigal/snake',
  defaultImageSize: 320,
  exportRender: { imageSize: 320, axes: true },
  exportStream: 'exportSnake',
  // Several bot games each, small enough that tiny exports stay fast.
  exportChunk: 64,

  parseState: parseSnakeState,
  stateKey: snakeStateKey,
  exclusionKeys: (state) => [snakeStateKey(state)],
  heldOutVariants: { minLength: { min: LONG_SNAKE_MIN, max: LONG_SNAKE_MAX } },
  heldOut: heldOutStates,

  truth: (state) => snakeLabels(state),
  parseTruth(json) {
    if (typeof json !== 'object' || json === null) throw new Error('snake truth must be {"best":[...],"worst":[...]}');
    const t = json as Record<string, unknown>;
    return { best: moveList(t, 'best', 'truth.best'), worst: moveList(t, 'worst', 'truth.worst') };
  },
  score(response, truth): SnakeGameVerdict {
    const v = scoreSnake(response, truth);
    return { ...v, action: v.bestMove };
  },
  parse: (response) => parseSnakeAnswer(response).bestMove,
  truthText: (truth) => `best ${truth.best.join(' / ') || '(none)'} · worst ${truth.worst.join(', ') || 'None'}`,
  perfectResponse(truth) {
    const worst = truth.worst.length > 0 ? truth.worst.join(', ') : 'None';
    return `<think>ground truth</think><best_answer>${truth.best[0] ?? ''}</best_answer><worst_answer>${worst}</worst_answer>`;
  },
  handResponse: (move) => `<think>Chosen by hand.</think><best_answer>${move}</best_answer><worst_answer>None</worst_answer>`,

  prompt: (state, variant) => snakePrompt(state, { variant }),
  scenes: (state, opts) => [snakeScene(state, { size: opts.size, axes: opts.axes })],
  imageOnlyPrompt(prompt) {
    const out: string[] = [];
    let inBoard = false;
    for (const line of prompt.split('\n')) {
      if (line === 'Current board:') {
        inBoard = true;
        continue;
      }
      if (inBoard) {
        if (line.startsWith('- ')) continue;
        inBoard = false;
        if (line === '') continue; // the blank line after the block
      }
      if (COMPACT_POSITION_LINE.test(line)) continue;
      out.push(line.replace(' and check them against the coordinates above', ''));
    }
    return out.join('\n');
  },
  tally: snakeTally,
  trace: (state) => snakeTrace(state).response,
  // A bot's worst list is the static one-step check (the rules it plays by); its best move is its own
  // pick (the lookahead bot may leave the greedy "best" to survive, and is scored for it).
  bots: Object.fromEntries(
    BOT_NAMES.map((name) => [
      name,
      (state: SnakeState, rng: Rng) => {
        const action = SNAKE_BOTS[name](state, state.you, rng);
        const worst = snakeLabels(state, state.you).worst;
        const text =
          `<think>The ${name} bot picks ${action}.</think>` +
          `<best_answer>${action}</best_answer><worst_answer>${worst.length ? worst.join(', ') : 'None'}</worst_answer>`;
        return { action, text };
      },
    ]),
  ),

  exportTruth: (state, truth) => ({ game: 'snake', best: truth.best, worst: truth.worst, state }),
  parseExportTruth(t) {
    const truth: SnakeGroundTruth = { game: 'snake', best: moveList(t, 'best'), worst: moveList(t, 'worst') };
    if (t['state'] !== undefined) truth.state = t['state'] as SnakeState;
    return truth;
  },
  truthOfExport: (e) => ({ best: e.best, worst: e.worst }),
  stateOfExport: (e) => (e.state === undefined ? null : parseSnakeState(e.state)),
  exportKey: snakeStateKey,
  hashExportKey: false,
  fromPrompt: {
    looksLike: (prompt) => prompt.includes(SNAKE_OPENING) || prompt.includes('<best_answer>'),
    read(prompt) {
      const at = prompt.indexOf(SNAKE_OPENING);
      return at >= 0 ? readFullSnakePrompt(prompt.slice(at)) : null;
    },
  },
};
