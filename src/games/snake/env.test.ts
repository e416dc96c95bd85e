import { describe, expect, it } from 'vitest';
import { SnakeEnv, type DeathCause } from './env';
import { greedyBot, randomBot } from './bots';
import { playSnakeGame } from './sampler';
import { makeSnakeState, type StateSpec } from './testing';
import { MOVES, parseSnakeState, type Move, type SnakeState, type TailRule } from './types';

type Deaths = Record<number, DeathCause>;

interface RuleCase {
  name: string;
  spec: StateSpec;
  moves: Record<number, Move>;
  /** Expected deaths under each tail rule; {} = everybody survives. */
  static: Deaths;
  moving: Deaths;
}

// Boards are 10 x 10, origin bottom-left: UP is y + 1, RIGHT is x + 1. Snake 2 is parked out of the
// way (at 9,0 moving UP) in the cases about snake 1 alone.
const PARKED: [number, number][] = [[9, 0]];

const RULES: RuleCase[] = [
  {
    name: 'wall on the left',
    spec: { snakes: [[[0, 5]], PARKED] },
    moves: { 1: 'LEFT', 2: 'UP' },
    static: { 1: 'wall' },
    moving: { 1: 'wall' },
  },
  {
    name: 'wall at the top',
    spec: { snakes: [[[3, 9]], PARKED] },
    moves: { 1: 'UP', 2: 'UP' },
    static: { 1: 'wall' },
    moving: { 1: 'wall' },
  },
  {
    // Head (5,5) going LEFT hits (4,5), body index 3 of 5: not the tail under either rule.
    name: 'own body',
    spec: {
      snakes: [
        [
          [5, 5],
          [5, 4],
          [4, 4],
          [4, 5],
          [4, 6],
        ],
        PARKED,
      ],
    },
    moves: { 1: 'LEFT', 2: 'UP' },
    static: { 1: 'body' },
    moving: { 1: 'body' },
  },
  {
    // (4,5) is now the tail: occupied before the move (static), but it leaves this round (moving).
    name: 'own tail',
    spec: {
      snakes: [
        [
          [5, 5],
          [5, 4],
          [4, 4],
          [4, 5],
        ],
        PARKED,
      ],
    },
    moves: { 1: 'LEFT', 2: 'UP' },
    static: { 1: 'body' },
    moving: {},
  },
  {
    name: 'the neck (length 3)',
    spec: {
      snakes: [
        [
          [5, 5],
          [5, 4],
          [5, 3],
        ],
        PARKED,
      ],
    },
    moves: { 1: 'DOWN', 2: 'UP' },
    static: { 1: 'body' },
    moving: { 1: 'body' },
  },
  {
    // At length 2 the neck is the tail, so under 'moving' the snake reverses onto it (later SnakeBench).
    name: 'the neck of a length-2 snake is its tail',
    spec: {
      snakes: [
        [
          [5, 5],
          [5, 4],
        ],
        PARKED,
      ],
    },
    moves: { 1: 'DOWN', 2: 'UP' },
    static: { 1: 'body' },
    moving: {},
  },
  {
    // Snake 1 at (5,5) goes RIGHT into (6,5), snake 2's neck.
    name: 'enemy body',
    spec: {
      snakes: [
        [[5, 5]],
        [
          [7, 5],
          [6, 5],
          [6, 6],
        ],
      ],
    },
    moves: { 1: 'RIGHT', 2: 'DOWN' },
    static: { 1: 'body' },
    moving: { 1: 'body' },
  },
  {
    // (6,4) is snake 2's tail; snake 2 moves UP onto an empty cell, so its tail leaves.
    name: 'enemy tail',
    spec: {
      snakes: [
        [[5, 4]],
        [
          [7, 5],
          [7, 4],
          [6, 4],
        ],
      ],
    },
    moves: { 1: 'RIGHT', 2: 'UP' },
    static: { 1: 'body' },
    moving: {},
  },
  {
    // Same, but snake 2 eats the apple at (7,6): it grows, its tail stays, (6,4) kills under both rules.
    name: 'enemy tail of a growing snake',
    spec: {
      snakes: [
        [[5, 4]],
        [
          [7, 5],
          [7, 4],
          [6, 4],
        ],
      ],
      apples: [[7, 6]],
    },
    moves: { 1: 'RIGHT', 2: 'UP' },
    static: { 1: 'body' },
    moving: { 1: 'body' },
  },
  {
    // A length-1 enemy's head is its tail: static kills, moving lets snake 1 follow it.
    name: "the other snake's current head (length 1)",
    spec: { snakes: [[[5, 5]], [[6, 5]]] },
    moves: { 1: 'RIGHT', 2: 'RIGHT' },
    static: { 1: 'body' },
    moving: {},
  },
  {
    // A longer enemy's head becomes its neck: death under both rules.
    name: "the other snake's current head (length 2)",
    spec: {
      snakes: [
        [[5, 5]],
        [
          [6, 5],
          [7, 5],
        ],
      ],
    },
    moves: { 1: 'RIGHT', 2: 'UP' },
    static: { 1: 'body' },
    moving: { 1: 'body' },
  },
  {
    name: 'head-to-head on an empty cell',
    spec: { snakes: [[[4, 5]], [[6, 5]]] },
    moves: { 1: 'RIGHT', 2: 'LEFT' },
    static: { 1: 'head-to-head', 2: 'head-to-head' },
    moving: { 1: 'head-to-head', 2: 'head-to-head' },
  },
  {
    // Both heads meet on an apple: nobody eats, both die.
    name: 'head-to-head on an apple',
    spec: {
      snakes: [
        [
          [4, 5],
          [3, 5],
        ],
        [
          [6, 5],
          [7, 5],
        ],
      ],
      apples: [[5, 5]],
    },
    moves: { 1: 'RIGHT', 2: 'LEFT' },
    static: { 1: 'head-to-head', 2: 'head-to-head' },
    moving: { 1: 'head-to-head', 2: 'head-to-head' },
  },
  {
    // Two length-1 snakes swap cells: each enters the other's current head (static: both die); under
    // 'moving' both heads are leaving tails, so they pass through each other (later SnakeBench does too).
    name: 'two length-1 snakes swap cells',
    spec: { snakes: [[[4, 5]], [[5, 5]]] },
    moves: { 1: 'RIGHT', 2: 'LEFT' },
    static: { 1: 'body', 2: 'body' },
    moving: {},
  },
  {
    // Snake 1 hits the wall; snake 2 moves into (2,5), snake 1's body: deaths are judged on the board
    // before the round, whoever else dies in it.
    name: 'one wall death and one body death in the same round',
    spec: {
      snakes: [
        [
          [0, 5],
          [1, 5],
          [2, 5],
          [3, 5],
        ],
        [[2, 6]],
      ],
    },
    moves: { 1: 'LEFT', 2: 'DOWN' },
    static: { 1: 'wall', 2: 'body' },
    moving: { 1: 'wall', 2: 'body' },
  },
  {
    // Same, but into (3,5), snake 1's tail. Under 'moving' a tail leaves when its snake's move does not
    // eat, judged on the moves alone, so snake 2 survives although snake 1's round is never applied.
    name: "a dying snake's tail",
    spec: {
      snakes: [
        [
          [0, 5],
          [1, 5],
          [2, 5],
          [3, 5],
        ],
        [[3, 6]],
      ],
    },
    moves: { 1: 'LEFT', 2: 'DOWN' },
    static: { 1: 'wall', 2: 'body' },
    moving: { 1: 'wall' },
  },
  {
    name: 'everybody safe',
    spec: {
      snakes: [
        [
          [4, 5],
          [3, 5],
        ],
        [
          [6, 6],
          [6, 7],
        ],
      ],
    },
    moves: { 1: 'UP', 2: 'RIGHT' },
    static: {},
    moving: {},
  },
];

function deathsOf(step: ReturnType<SnakeEnv['step']>): Deaths {
  const out: Deaths = {};
  for (const d of step.info.deaths) out[d.id] = d.cause;
  return out;
}

describe('SnakeEnv death rules', () => {
  for (const tailRule of ['static', 'moving'] as TailRule[]) {
    for (const c of RULES) {
      it(`${c.name} (${tailRule})`, () => {
        const start = makeSnakeState(c.spec);
        const env = SnakeEnv.fromState(start, { tailRule }, 1);
        const step = env.step(c.moves);
        const expected = c[tailRule];
        expect(deathsOf(step)).toEqual(expected);
        const dead = Object.keys(expected).map(Number);
        if (dead.length === 0) {
          expect(step.terminated).toBe(false);
          expect(step.info.result).toBeNull();
          return;
        }
        // Any death ends a two-snake game at once, with nothing else of the round applied.
        expect(step.terminated).toBe(true);
        expect(step.truncated).toBe(false);
        const survivors = [1, 2].filter((id) => !dead.includes(id));
        expect(step.info.result).toEqual({
          winner: survivors.length === 1 ? survivors[0] : null,
          reason: survivors.length === 1 ? 'death' : 'all-dead',
          scores: { 1: 0, 2: 0 },
          rounds: 1,
        });
        for (const id of [1, 2]) expect(step.rewards[id]).toBe(dead.includes(id) ? -1 : 0);
        const after = step.state;
        expect(after.snakes.map((s) => s.body)).toEqual(start.snakes.map((s) => s.body));
        expect(after.apples).toEqual(start.apples);
        expect(after.snakes.map((s) => s.alive)).toEqual([1, 2].map((id) => !dead.includes(id)));
        expect(after.round).toBe(1);
        expect(() => env.step({})).toThrow(/ended/);
      });
    }
  }

  it('a death ends the round before the survivor eats', () => {
    // Snake 2 steps onto the apple at (6,6) while snake 1 dies at the wall: no point, apple stays.
    const start = makeSnakeState({ snakes: [[[0, 0]], [[6, 5]]], apples: [[6, 6]] });
    const step = SnakeEnv.fromState(start).step({ 1: 'DOWN', 2: 'UP' });
    expect(step.info.result?.winner).toBe(2);
    expect(step.state.snakes[1]!.score).toBe(0);
    expect(step.state.snakes[1]!.body).toEqual([[6, 5]]);
    expect(step.state.apples).toEqual([[6, 6]]);
    expect(step.info.ate).toEqual([]);
  });
});

describe('SnakeEnv growth and apples', () => {
  it('eating grows by keeping the tail, scores, and respawns to keep the count', () => {
    const start = makeSnakeState({
      snakes: [
        [
          [5, 5],
          [5, 4],
        ],
        [[0, 9]],
      ],
      apples: [
        [5, 6],
        [1, 1],
        [2, 2],
        [3, 3],
        [8, 8],
      ],
    });
    const env = SnakeEnv.fromState(start, {}, 7);
    const step = env.step({ 1: 'UP', 2: 'RIGHT' });
    const me = step.state.snakes[0]!;
    expect(me.body).toEqual([
      [5, 6],
      [5, 5],
      [5, 4],
    ]);
    expect(me.score).toBe(1);
    expect(me.lastMove).toBe('UP');
    expect(step.rewards).toEqual({ 1: 1, 2: 0 });
    expect(step.info.ate).toEqual([1]);
    // Snake 2 did not eat: its tail moved.
    expect(step.state.snakes[1]!.body).toEqual([[1, 9]]);
    // The eaten apple left the list, the others kept their order, one new apple joined the end.
    expect(step.state.apples).toHaveLength(5);
    expect(step.state.apples.slice(0, 4)).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [8, 8],
    ]);
    const fresh = step.state.apples[4]!;
    const taken = [...step.state.snakes.flatMap((s) => s.body), ...step.state.apples.slice(0, 4)];
    expect(taken.some((p) => p[0] === fresh[0] && p[1] === fresh[1])).toBe(false);
  });

  it('both snakes can eat in the same round', () => {
    const start = makeSnakeState({
      snakes: [[[2, 2]], [[7, 7]]],
      apples: [
        [2, 3],
        [7, 6],
      ],
    });
    const step = SnakeEnv.fromState(start, {}, 3).step({ 1: 'UP', 2: 'DOWN' });
    expect(step.info.ate).toEqual([1, 2]);
    expect(step.state.snakes.map((s) => s.body.length)).toEqual([2, 2]);
    expect(step.state.apples).toHaveLength(2);
  });

  it('keeps the apple count over whole games', () => {
    for (let seed = 0; seed < 20; seed++) {
      const game = playSnakeGame([greedyBot, greedyBot], seed);
      for (const s of game.states) {
        expect(s.apples).toHaveLength(5);
        // parseSnakeState checks that no two things share a cell and bodies are chains.
        expect(() => parseSnakeState(s)).not.toThrow();
      }
    }
  });

  it('spawns fewer apples when the board is full', () => {
    // 2 x 2 board, one snake and three apples: every cell is taken from the start.
    const env = new SnakeEnv({ width: 2, height: 2, numSnakes: 1, apples: 3, maxRounds: 10 });
    let state = env.reset(5).state;
    expect(state.apples).toHaveLength(3);
    for (let k = 1; k <= 3; k++) {
      const head = state.snakes[0]!.body[0]!;
      // Move to any neighbouring cell: on a full board it is an apple.
      const move = MOVES.find((m) => {
        const x = head[0] + (m === 'RIGHT' ? 1 : m === 'LEFT' ? -1 : 0);
        const y = head[1] + (m === 'UP' ? 1 : m === 'DOWN' ? -1 : 0);
        return state.apples.some((a) => a[0] === x && a[1] === y);
      })!;
      const step = env.step({ 1: move });
      state = step.state;
      expect(state.snakes[0]!.body).toHaveLength(1 + k);
      expect(state.apples).toHaveLength(3 - k);
    }
  });
});

describe('SnakeEnv endings', () => {
  const walk = (env: SnakeEnv, rounds: number, moves: Record<number, Move>) => {
    let last = env.step(moves);
    for (let i = 1; i < rounds; i++) last = env.step(moves);
    return last;
  };

  it('max rounds with equal scores is a tie, truncated', () => {
    const start = makeSnakeState({ snakes: [[[0, 0]], [[0, 5]]] });
    const env = SnakeEnv.fromState(start, { maxRounds: 3 });
    const last = walk(env, 3, { 1: 'RIGHT', 2: 'RIGHT' });
    expect(last.truncated).toBe(true);
    expect(last.terminated).toBe(false);
    expect(last.info.result).toEqual({ winner: null, reason: 'max-rounds', scores: { 1: 0, 2: 0 }, rounds: 3 });
    expect(env.done).toBe(true);
  });

  it('max rounds: the higher score wins', () => {
    // Snake 2 eats the apple at (1,5) on its first move; apples: 0 so that no new one appears.
    const start = makeSnakeState({ snakes: [[[0, 0]], [[0, 5]]], apples: [[1, 5]] });
    const env = SnakeEnv.fromState(start, { maxRounds: 2, apples: 0 });
    const last = walk(env, 2, { 1: 'UP', 2: 'RIGHT' });
    expect(last.info.result).toEqual({ winner: 2, reason: 'max-rounds', scores: { 1: 0, 2: 1 }, rounds: 2 });
  });

  it('a death in the last round still counts as a death', () => {
    const start = makeSnakeState({ snakes: [[[0, 0]], [[5, 5]]], round: 9 });
    const step = SnakeEnv.fromState(start, { maxRounds: 10 }).step({ 1: 'LEFT', 2: 'UP' });
    expect(step.terminated).toBe(true);
    expect(step.truncated).toBe(false);
    expect(step.info.result?.reason).toBe('death');
  });

  it('single player: max rounds is truncation with the snake as winner', () => {
    const env = new SnakeEnv({ numSnakes: 1, maxRounds: 4, apples: 0 });
    const state = env.reset(1).state;
    expect(state.snakes).toHaveLength(1);
    const [x] = state.snakes[0]!.body[0]!;
    // Walk back and forth horizontally: length 1 never hits itself.
    const move: Move = x < 5 ? 'RIGHT' : 'LEFT';
    const back: Move = move === 'RIGHT' ? 'LEFT' : 'RIGHT';
    let last = env.step({ 1: move });
    for (let i = 1; i < 4; i++) last = env.step({ 1: i % 2 === 0 ? move : back });
    expect(last.truncated).toBe(true);
    expect(last.info.result).toEqual({ winner: 1, reason: 'max-rounds', scores: { 1: 0 }, rounds: 4 });
  });

  it('single player: death ends the game with no winner', () => {
    const env = SnakeEnv.fromState(makeSnakeState({ snakes: [[[0, 0]]] }));
    const step = env.step({ 1: 'DOWN' });
    expect(step.terminated).toBe(true);
    expect(step.info.result).toEqual({ winner: null, reason: 'all-dead', scores: { 1: 0 }, rounds: 1 });
  });

  it('fromState of a finished game is done', () => {
    const dead = makeSnakeState({ snakes: [[[0, 0]], { body: [[5, 5]], alive: false }] });
    expect(SnakeEnv.fromState(dead).outcome).toMatchObject({ winner: 1, reason: 'death' });
    const old = makeSnakeState({ snakes: [[[0, 0]], [[5, 5]]], round: 100 });
    const env = SnakeEnv.fromState(old);
    expect(env.done).toBe(true);
    expect(() => env.step({ 1: 'UP', 2: 'UP' })).toThrow(/ended/);
  });
});

describe('SnakeEnv contract', () => {
  it('reset places two length-1 snakes and five apples on distinct cells', () => {
    const { state, info } = new SnakeEnv().reset(42);
    expect(state.width).toBe(10);
    expect(state.snakes.map((s) => [s.id, s.body.length, s.lastMove, s.alive, s.score])).toEqual([
      [1, 1, null, true, 0],
      [2, 1, null, true, 0],
    ]);
    expect(state.apples).toHaveLength(5);
    expect(state.round).toBe(0);
    expect(() => parseSnakeState(state)).not.toThrow();
    expect(info).toEqual({ deaths: [], ate: [], result: null });
  });

  it('same seed and same moves give the same trajectory; another seed does not', () => {
    const a = playSnakeGame([randomBot, greedyBot], 123);
    const b = playSnakeGame([randomBot, greedyBot], 123);
    expect(b).toEqual(a);
    // Replaying the recorded moves on a fresh env reproduces every state.
    const env = new SnakeEnv();
    const replay: SnakeState[] = [env.reset(123).state];
    for (const m of a.moves) replay.push(env.step(m).state);
    expect(replay).toEqual(a.states);
    expect(playSnakeGame([randomBot, greedyBot], 124).states).not.toEqual(a.states);
  });

  it('returns a fresh copy of the state each time', () => {
    const env = new SnakeEnv();
    const s1 = env.reset(1).state;
    s1.snakes[0]!.body[0]![0] = 99;
    s1.apples.length = 0;
    const s2 = env.getState();
    expect(s2.snakes[0]!.body[0]![0]).not.toBe(99);
    expect(s2.apples).toHaveLength(5);
  });

  it('continues from a state: fromState then step equals stepping the original', () => {
    const game = playSnakeGame([greedyBot, greedyBot], 9);
    for (let i = 0; i < game.moves.length; i++) {
      const step = SnakeEnv.fromState(game.states[i]!, { apples: 5 }, 1).step(game.moves[i]!);
      // Bodies, scores and life follow from the moves alone; only new apple cells depend on the seed.
      expect(step.state.snakes).toEqual(game.states[i + 1]!.snakes);
    }
  });

  it.each([
    [{ 1: 'UP' }, /missing move for alive snake 2/],
    [{ 1: 'UP', 2: 'UP', 3: 'UP' }, /no snake with id 3; ids are 1, 2/],
    [{ 1: 'UP', 2: 'up' }, /move must be one of UP, DOWN, LEFT, RIGHT, got up/],
  ] as [Record<number, Move>, RegExp][])('rejects bad moves %j', (moves, message) => {
    const env = new SnakeEnv();
    env.reset(0);
    expect(() => env.step(moves)).toThrow(message);
  });

  it('rejects stepping before reset and bad options', () => {
    expect(() => new SnakeEnv().step({ 1: 'UP' })).toThrow(/before reset/);
    expect(() => new SnakeEnv({ width: 0 })).toThrow(/width must be an integer in \[1, 100\]/);
    expect(() => new SnakeEnv({ numSnakes: 3 as 1 })).toThrow(/numSnakes must be 1 or 2/);
    expect(() => new SnakeEnv({ tailRule: 'slither' as TailRule })).toThrow(/tailRule must be one of static, moving/);
    expect(() => SnakeEnv.fromState(makeSnakeState({ snakes: [[[0, 0]]] }), { width: 12 })).toThrow(/contradicts/);
  });
});
