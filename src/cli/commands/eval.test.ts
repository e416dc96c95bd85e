/** `vigal eval` end to end (a real child process): the suite with --policies, the single --policy, errors. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BotPolicy } from '../../policy/bots';
import type { EvaluationRecord } from '../../records/types';
import { pairedComparison } from '../../rl/paired';
import { runSuite, suiteNumbers } from '../../rl/suite';

const BIN = join(__dirname, '../../../bin/vigal.js');

function vigal(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('vigal eval --policies (the suite)', () => {
  it("prints tables on stderr, one EvaluationRecord line on stdout and in --jsonl, with the library's numbers", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vigal-eval-')), 'evals.jsonl');
    const r = vigal(['eval', 'snake', '--policies', 'bot:greedy,lookahead', '--n', '20', '--seed', '5', '--games', '2', '--jsonl', file]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as EvaluationRecord;
    expect(readFileSync(file, 'utf8')).toBe(lines[0] + '\n');
    expect(record).toMatchObject({ type: 'evaluation', version: 1, game: 'snake', n: 20, seed: 5, observationMode: 'image+text' });
    expect(record.matches).toHaveLength(2);
    expect(record.elo?.map((e) => e.games)).toEqual([4, 4]);
    // The CLI seeds bots with --seed, so the library run with the same seeds gives the same numbers.
    const direct = await runSuite([new BotPolicy('greedy', 5), new BotPolicy('lookahead', 5)], { game: 'snake', n: 20, seed: 5, gamesPerPairing: 2 });
    expect(suiteNumbers(record)).toEqual(suiteNumbers(direct));
    for (const heading of [
      '20 held-out states (seed 5, image+text)',
      'best move',
      'worst moves',
      'head-to-head: 2 games per pairing and seat',
      'survival rounds',
      'Elo (every game in play order, K 32, start 1000)',
    ]) {
      expect(r.err).toContain(heading);
    }
    // Per-state results pair the two reports: the fixed/broken counts printed are the library's.
    for (const rep of record.reports) expect([...rep.right!].filter((c) => c === '1').length).toBe(Math.round(rep.accuracy * 20));
    const paired = pairedComparison(record.reports[0]!, record.reports[1]!)!;
    expect(r.err).toContain("state by state against bot:greedy (McNemar's exact test on the fixed/broken split)");
    expect(r.err).toMatch(new RegExp(`bot:lookahead\\s+${paired.fixed}\\s+${paired.broken}\\s`));
    // A second run appends a second line.
    expect(vigal(['eval', 'snake', '--policies', 'random', '--n', '2', '--jsonl', file]).code).toBe(0);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('a trainer checkpoint is named after its folder, so it pairs with the model it started from', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vigal-eval-')), 'my-run-step40');
    mkdirSync(dir);
    for (const f of ['config.json', 'tokenizer.json', 'model.safetensors']) copyFileSync(join('models/vigal-nano-snake-sft', f), join(dir, f));
    const r = vigal(['eval', 'snake', '--policies', `nano:models/vigal-nano-snake-sft,nano:${dir}`, '--n', '3', '--seed', '2', '--games', '0']);
    expect(r.code).toBe(0);
    const record = JSON.parse(r.out.trim()) as EvaluationRecord;
    expect(record.reports.map((x) => x.policy)).toEqual(['nano:vigal-nano-snake-sft', 'nano:my-run-step40']);
    // The same weights (fp32 ONNX vs the graph built from safetensors): the same answers, nothing fixed or broken.
    expect(record.reports[1]!.right).toBe(record.reports[0]!.right);
    expect(r.err).toMatch(/nano:my-run-step40\s+0\s+0\s+\+0\s+1\.000/);
  });

  it('Rotation: a confusion matrix per policy, no games; --observation is recorded', () => {
    const r = vigal(['eval', 'rotation', '--policies', 'random', '--n', '12', '--seed', '2', '--observation', 'text']);
    expect(r.code).toBe(0);
    const record = JSON.parse(r.out) as EvaluationRecord;
    expect(record.observationMode).toBe('text');
    expect(record.matches).toEqual([]);
    expect(
      Object.values(record.reports[0]!.confusion!)
        .flatMap((row) => Object.values(row))
        .reduce((a, b) => a + b, 0),
    ).toBe(12);
    expect(r.err).toContain('bot:random: confusion (rows: truth, columns: answer)');
  });

  it('--policy still prints the one report (and --jsonl wraps it as a record, the bot named as a policy)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vigal-eval-')), 'one.jsonl');
    const r = vigal(['eval', 'snake', '--policy', 'greedy', '--n', '10', '--games', '2', '--opponent', 'random', '--json', '--jsonl', file]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out.trim().split('\n').at(-1)!) as { policy: string; n: number; match: { opponent: string; games: number } };
    expect(report).toMatchObject({ policy: 'bot:greedy', n: 10, match: { opponent: 'random', games: 2 } });
    const record = JSON.parse(readFileSync(file, 'utf8')) as EvaluationRecord;
    expect(record.reports[0]!.policy).toBe('bot:greedy');
    expect(record.matches[0]!.opponent).toBe('bot:random');
    expect(record.elo!.map((e) => e.policy).sort()).toEqual(['bot:greedy', 'bot:random']);
  });

  it('--samples K answers every state K times and rates over all n x K answers', () => {
    const r = vigal(['eval', 'snake', '--policy', 'random', '--n', '5', '--seed', '3', '--temperature', '1', '--samples', '3', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out.trim().split('\n').at(-1)!) as { n: number; samples: number; accuracy: number; best_accuracy: number };
    expect(report).toMatchObject({ n: 5, samples: 3 });
    // Per state, how many of its three answers were right.
    const right = (report as { right?: string }).right!;
    expect(right).toMatch(/^[0-3]{5}$/);
    expect([...right].reduce((sum, c) => sum + Number(c), 0)).toBe(Math.round(report.accuracy * 15));
    // Rates are counts over 15 answers (the random bot's picks differ between the three answers).
    for (const rate of [report.accuracy, report.best_accuracy]) expect(Math.abs(rate * 15 - Math.round(rate * 15))).toBeLessThan(1e-9);
    expect(r.err).toContain('5 held-out snake states (seed 3, 3 answers each at temperature 1)');
  });

  it.each([
    [['eval', 'snake', '--policy', 'random', '--samples', '4'], '--samples > 1 needs --temperature > 0'],
    [['eval', 'snake', '--policies', 'random,greedy', '--temperature', '1', '--samples', '4'], '--samples goes with --policy'],
    [['eval', 'snake', '--policy', 'random', '--temperature', '1', '--samples', '0'], '--samples must be between 1 and 1000'],
    [['eval', 'snake', '--policies', 'greedy,greedy'], "--policies lists 'greedy' twice"],
    [['eval', 'snake', '--policies', 'greedy,bot:greedy'], "the same policy 'bot:greedy'"],
    [['eval', 'snake', '--policies', 'greedy,'], '--policies must be a comma-separated list'],
    [['eval', 'snake', '--policies', 'greedy', '--policy', 'nano'], 'give --policies a,b,c or --policy P, not both'],
    [['eval', 'snake', '--policies', 'greedy', '--opponent', 'random'], '--opponent goes with --policy'],
    [['eval', 'rotation', '--policies', 'random,greedy'], "'bot:greedy' plays snake; not rotation"],
    [['eval', 'snake', '--policies', 'alphago'], "unknown policy 'alphago'"],
    [['eval', 'snake', '--policies', 'greedy', '--games', '-1'], '--games must be between 0 and 100000'],
    [['eval', 'snake', '--policies', 'greedy', '--observation', 'smell'], '--observation must be one of image+text, image, text'],
  ])('bad usage %j exits 2 and says why', (args, message) => {
    const r = vigal(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});
