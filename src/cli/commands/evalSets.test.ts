/**
 * `vigal eval --min-length N` and `--classes SET` end to end (real child processes): the set is named in
 * the table and the record, and every misuse ends with one clear line and status 2 (src/util/userError.ts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvaluationRecord } from '../../records/types';
import type { EvalReport } from '../../rl/evaluate';

const BIN = join(__dirname, '../../../bin/vigal.js');

function vigal(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function expectOneCleanLine(r: { code: number; out: string; err: string }, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  const lines = r.err.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^vigal: /);
  expect(lines[0]).not.toMatch(/\n\s+at |Error: /);
  expect(lines[0]).toMatch(message);
}

describe('vigal eval: the long-snake and class-set held-out sets', () => {
  it('--min-length: the suite says which set, and its record names it', () => {
    const r = vigal(['eval', 'snake', '--policies', 'bot:greedy,random', '--n', '12', '--min-length', '8', '--games', '0']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('snake: 12 held-out states (seed 1000, own length >= 8, image+text)');
    const record = JSON.parse(r.out.trim()) as EvaluationRecord;
    expect(record.reports.map((x) => x.min_length)).toEqual([8, 8]);
  });

  it('--classes three with --policy: the report names the class set and the confusion has three classes', () => {
    const r = vigal(['eval', 'rotation', '--policy', 'random', '--n', '9', '--classes', 'three', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('bot:random on 9 held-out rotation states (seed 1000, classes three)');
    const report = JSON.parse(r.out.trim()) as EvalReport;
    expect(report.class_set).toBe('three');
    const answers = new Set(Object.values(report.confusion ?? {}).flatMap((row) => Object.keys(row)));
    expect([...answers].every((a) => ['clockwise 90', 'counter clockwise 90', '180'].includes(a))).toBe(true);
  });

  it('--grid 3: the suite names the grid, the solver still solves every puzzle and random is near chance', () => {
    const r = vigal(['eval', 'jigsaw', '--policies', 'bot:solver,bot:random', '--n', '12', '--grid', '3', '--games', '0']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('jigsaw: 12 held-out states (seed 1000, 3x3 grid, image+text)');
    const record = JSON.parse(r.out.trim()) as EvaluationRecord;
    expect(record.reports.map((x) => x.grid)).toEqual([3, 3]);
    expect(record.reports.map((x) => x.accuracy)).toEqual([1, 0]);
  });

  it('misuse is one line: the wrong game, out of range, an unknown set', () => {
    expectOneCleanLine(vigal(['eval', 'snake', '--policy', 'random', '--grid', '3']), /--grid .* applies to Jigsaw only/);
    expectOneCleanLine(vigal(['eval', 'jigsaw', '--policy', 'random', '--grid', '4']), /--grid must be one of 2, 3; got '4'/);
    expectOneCleanLine(vigal(['eval', 'rotation', '--policy', 'random', '--min-length', '8']), /--min-length .* applies to Snake only/);
    expectOneCleanLine(vigal(['eval', 'snake', '--policy', 'random', '--classes', 'three']), /--classes .* applies to Rotation only/);
    expectOneCleanLine(vigal(['eval', 'snake', '--policy', 'random', '--min-length', '40']), /--min-length must be between 2 and 25, got 40/);
    expectOneCleanLine(vigal(['eval', 'snake', '--policy', 'random', '--min-length', 'long']), /--min-length must be an integer, got 'long'/);
    expectOneCleanLine(
      vigal(['eval', 'rotation', '--policy', 'random', '--classes', 'four']),
      /--classes must be one of default, clockwise, three; got 'four'/,
    );
  });
});
