import { describe, expect, it } from 'vitest';
import { snakeLabels, snakePrompt, type SnakeState } from '../games/snake';
import { rotationQuestion } from '../games/rotation';
import { checkpointLine, fromBase64, parseJsonl, serializeJsonl, toBase64 } from './jsonl';
import { RECORD_VERSION, type EpisodeRecord, type RunRecord } from './types';

const STATE: SnakeState = {
  width: 10,
  height: 10,
  apples: [
    [3, 4],
    [7, 1],
  ],
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
    { id: 2, body: [[1, 8]], lastMove: null, alive: true, score: 0 },
  ],
  you: 1,
  round: 3,
};

function episode(id = 'ep-1'): EpisodeRecord {
  return {
    type: 'episode',
    version: RECORD_VERSION,
    id,
    createdAt: 1000,
    game: 'snake',
    policy: 'bot:greedy',
    opponent: 'greedy',
    seed: 4,
    observationMode: 'image+text',
    steps: [
      {
        index: 0,
        position: { game: 'snake', state: STATE },
        prompt: 'p',
        text: '<think>x</think><best_answer>LEFT</best_answer><worst_answer>DOWN</worst_answer>',
        action: 'LEFT',
        applied: 'LEFT',
        truth: { best: ['LEFT'], worst: ['DOWN'] },
        reward: { format: 0.1, accuracy: 1, overall: 1.1 },
        timings: { totalMs: 2 },
        opponentMove: 'UP',
      },
    ],
    result: null,
  };
}

const run: RunRecord = {
  type: 'run',
  version: RECORD_VERSION,
  id: 'run-1',
  createdAt: 5,
  kind: 'grpo',
  game: 'snake',
  init: 'vigal-nano-snake-sft',
  settings: { lr: 1e-5 },
  metrics: [{ step: 1, 'reward/mean': 0.4 }],
  evals: [],
  status: 'done',
  checkpoints: [{ step: 1, key: 'run-1/1', bytes: 4 }],
};

/** A verl dump line as verl writes it: the decoded chat prompt, the response, our ground truth JSON. */
function verlLine(step: number, output: string, extra: Record<string, unknown> = {}) {
  const labels = snakeLabels(STATE);
  const gts = JSON.stringify({ game: 'snake', best: labels.best, worst: labels.worst, state: STATE });
  return JSON.stringify({ input: `system\nYou are a helpful assistant.\nuser\n${snakePrompt(STATE)}\nassistant\n`, output, gts, score: 1.1, step, ...extra });
}
const GOOD = '<think>left is nearer</think><best_answer>LEFT</best_answer><worst_answer>DOWN</worst_answer>';

describe('JSONL records', () => {
  it('round-trips episodes, runs and checkpoint bytes', () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const text = serializeJsonl([episode(), run, checkpointLine('run-1/1', bytes)]);
    expect(text.split('\n')).toHaveLength(4); // three lines and the final newline
    const back = parseJsonl(text);
    expect(back.errors).toEqual([]);
    expect(back.records).toEqual([episode(), run]);
    expect(back.checkpoints).toEqual([{ key: 'run-1/1', bytes }]);
  });

  it('reports each bad line by number and keeps every good one', () => {
    const lines = [
      JSON.stringify(episode('a')),
      '{"type":"episode", broken',
      '',
      JSON.stringify({ ...episode('b'), version: RECORD_VERSION + 1 }),
      JSON.stringify({ ...episode('c'), steps: [{ ...episode().steps[0], reward: { format: 'x' } }] }),
      '[1,2]',
      JSON.stringify({ hello: 1 }),
      JSON.stringify(episode('d')),
    ];
    const out = parseJsonl(lines.join('\n'));
    expect(out.records.map((r) => r.id)).toEqual(['a', 'd']);
    expect(out.lines).toBe(7); // the blank line is not counted
    expect(out.errors.map((e) => e.line)).toEqual([2, 4, 5, 6, 7]);
    expect(out.errors[0]!.message).toMatch(/^not JSON/);
    expect(out.errors[1]!.message).toContain('newer app');
    expect(out.errors[2]!.message).toBe("episode c step 0: 'reward' must be {format, accuracy, overall} numbers");
    expect(out.errors[4]!.message).toContain('keys here: hello');
  });

  it('refuses a snake step whose board is impossible, naming the step', () => {
    const bad = { ...episode('x'), steps: [{ ...episode().steps[0], position: { game: 'snake', state: { ...STATE, width: 0 } } }] };
    const out = parseJsonl(JSON.stringify(bad));
    expect(out.records).toHaveLength(0);
    expect(out.errors[0]!.message).toMatch(/^episode x step 0: /);
  });

  it('base64 survives every byte value and long buffers', () => {
    const big = new Uint8Array(70_000).map((_, i) => (i * 7) & 255);
    expect(Buffer.from(fromBase64(toBase64(big))).equals(Buffer.from(big))).toBe(true);
    expect(() => fromBase64('***')).toThrow('base64');
  });
});

describe('verl rollout dumps', () => {
  it('groups lines by training step into episodes, one step per line, re-scored by the app', () => {
    const text = [verlLine(7, GOOD), verlLine(7, 'no tags', { score: 0 }), verlLine(8, GOOD, { score: 0.1 })].join('\n');
    const out = parseJsonl(text, { fileName: 'rollouts/7.jsonl', now: 42 });
    expect(out.errors).toEqual([]);
    expect(out.verlLines).toBe(3);
    const [a, b] = out.records as EpisodeRecord[];
    expect(a!.id).toBe('verl-rollouts_7-step7-snake');
    expect(a!.policy).toBe('verl');
    expect(a!.createdAt).toBe(42);
    expect(a!.steps.map((s) => [s.index, s.reward.overall, s.source])).toEqual([
      [0, 1.1, 'import'],
      [1, 0, 'import'],
    ]);
    expect(a!.steps[0]!.position).toEqual({ game: 'snake', state: STATE });
    expect(a!.steps[0]!.applied).toBe('LEFT');
    expect(a!.steps[0]!.truth).toEqual(snakeLabels(STATE));
    expect(a!.note).toContain("Every cluster score equals the app's re-score");
    // Line 3 says 0.1 but the answer is right: the app scores 1.1 and says so.
    expect(b!.seed).toBe(8);
    expect(b!.note).toContain("differs from the app's re-score on 1 of them");
  });

  it('reads the board from a full Snake prompt when gts is not our JSON', () => {
    const line = JSON.stringify({ input: `user\n${snakePrompt(STATE)}`, output: GOOD, gts: 'LEFT', score: 1.1, step: 1 });
    const out = parseJsonl(line);
    expect(out.errors).toEqual([]);
    const ep = out.records[0] as EpisodeRecord;
    expect(ep.steps[0]!.position.state).toMatchObject({ apples: STATE.apples, width: 10 });
    expect(ep.steps[0]!.truth).toEqual(snakeLabels(STATE));
  });

  it('redraws Rotation questions from the seed in gts', () => {
    const q = rotationQuestion(123, { classes: ['counter clockwise 90', '180'] });
    const gts = JSON.stringify({ game: 'rotation', answer: q.answer, seed: 123, classes: q.classes, example: true });
    const out = parseJsonl(JSON.stringify({ input: 'rotate', output: `<think>t</think><answer>${q.answer}</answer>`, gts, score: 1.1, step: 2 }));
    expect(out.errors).toEqual([]);
    const ep = out.records[0] as EpisodeRecord;
    expect(ep.game).toBe('rotation');
    expect(ep.steps[0]!.reward.overall).toBe(1.1);
    expect(ep.steps[0]!.position).toEqual({ game: 'rotation', state: q });
  });

  it("reads the reward's own dump lines (any engine: no input, no step)", () => {
    const labels = snakeLabels(STATE);
    const gts = JSON.stringify({ game: 'snake', ...labels, state: STATE });
    const out = parseJsonl(
      JSON.stringify({ engine: 'easyr1', output: GOOD, gts, score: 1.1, format: 0.1, accuracy: 1, data_source: 'vigal/snake', extra_info: null }),
    );
    expect(out.errors).toEqual([]);
    const ep = out.records[0] as EpisodeRecord;
    expect(ep.steps[0]).toMatchObject({ prompt: '', text: GOOD, reward: { overall: 1.1 } });
  });

  it('reports unusable verl lines by number and imports the rest', () => {
    const text = [
      verlLine(1, GOOD),
      JSON.stringify({ input: 'x', output: 'y', gts: '{"game":"rotation","answer":"180"}', score: 0, step: 1 }),
      JSON.stringify({ input: 'x', output: 'y', gts: 'z', step: 1 }),
      JSON.stringify({ input: 'no board here', output: 'y', gts: 'not json', score: 0, step: 1 }),
      verlLine(1, GOOD),
    ].join('\n');
    const out = parseJsonl(text);
    expect(out.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(out.errors[0]!.message).toContain('no seed');
    expect(out.errors[1]!.message).toContain('missing score');
    expect(out.errors[2]!.message).toContain('not the export');
    expect((out.records[0] as EpisodeRecord).steps).toHaveLength(2);
    expect(out.verlLines).toBe(2);
  });
});
