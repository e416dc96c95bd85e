/**
 * Jigsaw through the command line, as a user runs it (bin/vigal.js in a child process): listed by
 * `vigal games`, sampled at either grid (`--set grid=3`), scored, and evaluated with its bots.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jigsawQuestion } from './task';
import { deriveSeed } from '../../util/rng';

const BIN = join(__dirname, '../../../bin/vigal.js');

function vigal(args: string[], input = ''): { code: number; err: string; lines: unknown[] } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{') || l.trim().startsWith('['))
    .map((l) => JSON.parse(l) as unknown);
  return { code: r.status ?? -1, err: r.stderr, lines };
}

describe('vigal and Jigsaw', () => {
  it('games --json lists it with its grid setting and bots', { timeout: 60_000 }, () => {
    const r = vigal(['games', 'jigsaw', '--json']);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toEqual([
      expect.objectContaining({ id: 'jigsaw', kind: 'question', settings: { grid: 2 }, bots: ['solver', 'random'], dataSource: 'vigal/jigsaw' }),
    ]);
  });

  it('sample --set grid=3 draws 3 x 3 questions of the seed; a grid it lacks is a usage error', { timeout: 60_000 }, () => {
    const r = vigal(['sample', 'jigsaw', '--seed', '5', '--count', '2', '--set', 'grid=3']);
    expect(r.code).toBe(0);
    const rows = r.lines as { state: { grid: number }; answer: number[] }[];
    expect(rows.map((row) => row.answer)).toEqual([0, 1].map((i) => jigsawQuestion(deriveSeed(5, i), { grid: 3 }).answer));
    const bad = vigal(['sample', 'jigsaw', '--seed', '5', '--set', 'grid=4']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--set grid must be one of 2, 3');
  });

  it('score reads a bare answer list or an export truth', { timeout: 60_000 }, () => {
    const input = [
      { truth: [3, 1, 4, 2], response: '<think>x</think><answer>[3, 1, 4, 2]</answer>' },
      { truth: { game: 'jigsaw', answer: [3, 1, 4, 2], grid: 2, seed: 17 }, response: '<think>x</think><answer>1 2 3 4</answer>' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const r = vigal(['score', 'jigsaw'], input);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      { format: 0.1, accuracy: 1, overall: 1.1 },
      { format: 0.1, accuracy: 0, overall: 0.1 },
    ]);
  });

  it('eval with bot:solver and bot:random: 100% against about 1 in 24', { timeout: 60_000 }, () => {
    const r = vigal(['eval', 'jigsaw', '--policies', 'bot:solver,bot:random', '--n', '100', '--json']);
    expect(r.code).toBe(0);
    const record = r.lines.find((l) => (l as { type?: string }).type === 'evaluation') as {
      reports: { policy: string; accuracy: number; format_rate: number }[];
    };
    const [solver, random] = record.reports;
    expect(solver).toMatchObject({ policy: 'bot:solver', accuracy: 1, format_rate: 1 });
    expect(random).toMatchObject({ policy: 'bot:random', format_rate: 1 });
    expect(random!.accuracy).toBeLessThan(0.15);
  });
});
