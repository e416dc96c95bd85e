/** The `vigal` command end to end: a real child process, real stdin/stdout, real files. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnakeEnv, parseSnakeState, snakeLabels, type Move } from '../games/snake';
import { decodePng } from '../render/png';
import { GAME_IDS } from '../games/registry';

const BIN = join(__dirname, '../../bin/vigal.js');

function vigal(args: string[], input = ''): { code: number; out: string; err: string; lines: unknown[] } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  const out = r.stdout;
  return {
    code: r.status ?? -1,
    out,
    err: r.stderr,
    get lines() {
      return out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown);
    },
  };
}

const STATE = {
  width: 10,
  height: 10,
  apples: [[3, 4]],
  snakes: [
    {
      id: 1,
      body: [
        [5, 5],
        [5, 4],
      ],
      lastMove: 'UP',
      alive: true,
      score: 0,
    },
    { id: 2, body: [[4, 5]], lastMove: null, alive: true, score: 0 },
  ],
  you: 1,
  round: 0,
};

describe('vigal CLI', () => {
  it('label snake: one label line per state line, in order; bad lines reported in place', () => {
    const corner = { ...STATE, snakes: [{ id: 1, body: [[0, 0]], lastMove: null, alive: true, score: 0 }] };
    const r = vigal(['label', 'snake'], [JSON.stringify(STATE), 'not json', JSON.stringify(corner), '{"width":3}'].join('\n'));
    expect(r.code).toBe(1);
    // Head (5,5): DOWN is the own neck, LEFT the enemy's head (both worst). UP to (5,6) and RIGHT to
    // (6,5) are both 4 from the apple (3,4), so both are best. The corner snake at (0,0): DOWN and LEFT
    // leave the board; UP and RIGHT are both 6 away.
    expect(r.lines[0]).toEqual({ best: ['UP', 'RIGHT'], worst: ['DOWN', 'LEFT'] });
    expect(r.lines[1]).toEqual({ error: expect.stringContaining('line 2') });
    expect(r.lines[2]).toEqual({ best: ['UP', 'RIGHT'], worst: ['DOWN', 'LEFT'] });
    expect(r.lines[3]).toEqual({ error: expect.stringContaining('line 4') });
    expect(r.err).toContain('line 2');
  });

  it('score: snake truth as labels or as a state, rotation truth as a string', () => {
    const good = '<think>ok</think> <best_answer>up</best_answer>\n<worst_answer>LEFT, DOWN.</worst_answer>';
    const snake = vigal(
      ['score', 'snake'],
      [
        JSON.stringify({ truth: { best: ['UP', 'RIGHT'], worst: ['DOWN', 'LEFT'] }, response: good }),
        JSON.stringify({ truth: { state: STATE }, response: good }),
        JSON.stringify({ truth: { best: ['UP'], worst: [] }, response: '<think></think><best_answer>UP</best_answer>' }),
        JSON.stringify({ truth: { best: ['SIDEWAYS'], worst: [] }, response: '' }),
      ].join('\n'),
    );
    expect(snake.lines).toEqual([
      { format: 0.1, accuracy: 1, overall: 1.1 },
      { format: 0.1, accuracy: 1, overall: 1.1 },
      { format: 0, accuracy: 0, overall: 0 },
      { error: expect.stringContaining('truth.best') },
    ]);
    const rotation = vigal(['score', 'rotation'], JSON.stringify({ truth: '180', response: '<think>a</think><answer>180</answer>' }));
    expect(rotation.lines).toEqual([{ format: 0.1, accuracy: 1, overall: 1.1 }]);
    expect(rotation.code).toBe(0);
  });

  it('play --record: replaying the recorded moves reproduces every recorded state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigal-play-'));
    const file = join(dir, 'games.jsonl');
    const r = vigal(['play', 'snake', '--seed', '4', '--games', '3', '--bots', 'lookahead,greedy', '--record', file]);
    expect(r.code).toBe(0);
    const summary = r.lines.at(-1) as { summary: { games: number; ties: number; wins: Record<string, number> } };
    expect(summary.summary.games).toBe(3);
    expect(summary.summary.ties + Object.values(summary.summary.wins).reduce((a, b) => a + b, 0)).toBe(3);

    const rows = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            game: number;
            round: number;
            state: unknown;
            moves?: Record<string, Move>;
            result?: unknown;
          },
      );
    for (const game of [0, 1, 2]) {
      const mine = rows.filter((row) => row.game === game);
      const env = new SnakeEnv();
      let state = env.reset(4 + game).state;
      for (const row of mine) {
        expect(parseSnakeState(row.state)).toEqual(parseSnakeState(state));
        if (row.moves) state = env.step(Object.fromEntries(Object.entries(row.moves).map(([k, v]) => [Number(k), v]))).state;
      }
      expect(mine.at(-1)?.result).toBeDefined();
    }
  });

  it('sample --out writes decodable PNGs named in each record; same seed, same records', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigal-sample-'));
    const r = vigal(['sample', 'snake', '--seed', '3', '--count', '4', '--out', dir, '--size', '160']);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(4);
    for (const line of r.lines as { state: unknown; labels: unknown; images: string[] }[]) {
      expect(line.labels).toEqual(snakeLabels(parseSnakeState(line.state)));
      const png = decodePng(readFileSync(line.images[0]!));
      expect([png.width, png.height]).toEqual([160, 160]);
    }
    expect(vigal(['sample', 'snake', '--seed', '3', '--count', '4']).lines.map((l) => (l as { state: unknown }).state)).toEqual(
      (r.lines as { state: unknown }[]).map((l) => l.state),
    );
    const rot = vigal(['sample', 'rotation', '--seed', '3', '--out', dir, '--size', '64']);
    expect((rot.lines[0] as { images: string[] }).images).toHaveLength(4);
    expect(readdirSync(dir)).toHaveLength(8);
  });

  it.each([
    [['play', 'snake', '--seed', 'x'], '--seed must be an integer'],
    [['play', 'snake', '--seed', '1', '--bots', 'alphago'], '--bots must be one of random, greedy, lookahead'],
    [['sample', 'chess', '--seed', '1'], `game must be one of ${GAME_IDS.join(', ')}; got 'chess'`],
    [['sample', 'rotation', '--seed', '1', '--classes', '7'], '--classes must be one of default, clockwise, three'],
    [['label', 'rotation'], "label: game must be 'snake'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['train', 'rl', '--out', '/tmp/x'], 'train rl needs --init MODEL_DIR'],
    [['train', 'rl', '--init', 'models/vigal-nano-snake-sft', '--out', '/tmp/x', '--algo', 'ppo'], '--algo must be one of grpo, rloo'],
    [['train', 'rl', '--init', 'models/vigal-nano-snake-sft', '--out', '/tmp/x', '--group', '1'], '--group must be'],
    [['train', 'rl', '--init', 'models/vigal-nano-snake-sft', '--out', '/tmp/x', '--lr', 'fast'], '--lr must be a number'],
    [['train', 'rl', '--init', '/nonexistent', '--out', '/tmp/x'], 'no config.json there'],
    [['train', 'rl', '--init', 'models/vigal-nano-snake-sft', '--resume', '/tmp/x'], 'give one of them'],
    [['train', 'rl', '--init', 'models/vigal-nano-snake-sft', '--out', '/tmp/x', '--pool-filter', 'hard'], '--pool-filter must be one of none, greedy-wrong'],
    [['train', 'rl', '--init', 'models/vigal-nano-snake-sft', '--out', '/tmp/x', '--filter-mix', '2'], '--filter-mix must be a number in [0, 1]'],
  ])('bad usage %j exits 2 and says why', (args, message) => {
    const r = vigal(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('games: lists every registered game; --json is one line of the same ids; an unknown id is one usage line', () => {
    const text = vigal(['games']);
    expect(text.code).toBe(0);
    for (const id of GAME_IDS) expect(text.out).toContain(id);
    const json = vigal(['games', '--json']);
    expect(json.code).toBe(0);
    const games = json.lines[0] as { id: string; kind: string; title: string }[];
    expect(json.lines).toHaveLength(1);
    expect(games.map((g) => g.id)).toEqual([...GAME_IDS]);
    expect(games.find((g) => g.id === 'rotation')?.kind).toBe('question');
    expect((vigal(['games', 'snake', '--json']).lines[0] as { id: string }[]).map((g) => g.id)).toEqual(['snake']);
    const bad = vigal(['games', 'chess']);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toEqual([`vigal: games: game must be one of ${GAME_IDS.join(', ')}; got 'chess'`]);
  });

  it('--help lists every command', () => {
    const r = vigal(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['games', 'sample', 'label', 'score', 'play']) expect(r.out).toContain(cmd);
  });
});
