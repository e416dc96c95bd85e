/** `vigal match` end to end: both seats, Elo, the record line. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvaluationRecord } from '../../records/types';

const BIN = join(__dirname, '../../../bin/vigal.js');

function vigal(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('vigal match', () => {
  it('plays --games games from each seat on the same seeds and rates both', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vigal-match-')), 'match.jsonl');
    const r = vigal(['match', '--a', 'bot:greedy', '--b', 'lookahead', '--games', '3', '--seed', '40', '--jsonl', file]);
    expect(r.code).toBe(0);
    const record = JSON.parse(r.out) as EvaluationRecord;
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(record);
    expect(record).toMatchObject({ type: 'evaluation', game: 'snake', n: 0, seed: 40, reports: [] });
    expect(record.matches.map((m) => [m.policy, m.opponent, m.games, m.seed])).toEqual([
      ['bot:greedy', 'bot:lookahead', 3, 40],
      ['bot:lookahead', 'bot:greedy', 3, 40],
    ]);
    const elo = record.elo!;
    expect(elo.map((e) => e.games)).toEqual([6, 6]);
    expect(elo[0]!.rating + elo[1]!.rating).toBeCloseTo(2000, 9);
    // The winner of more games is rated higher.
    const wins = (p: string) => elo.find((e) => e.policy === p)!.wins;
    expect(elo[0]!.policy).toBe(wins('bot:greedy') > wins('bot:lookahead') ? 'bot:greedy' : 'bot:lookahead');
    expect(r.err).toContain('head-to-head: 3 games per pairing and seat (game g from seed 40 + g)');
    expect(r.err).toContain('Elo');
  });

  it.each([
    [['match', '--a', 'greedy'], 'match needs two policies'],
    [['match', '--a', 'greedy', '--b', 'greedy'], 'are the same policy'],
    [['match', '--a', 'greedy', '--b', 'random', '--games', '0'], '--games must be between 1 and 100000'],
    [['match', '--a', 'nano:no-such-model', '--b', 'random'], "'nano:no-such-model': no model folder"],
    [['match', '--a', 'greedy', '--b', 'random', '--seed', 'x'], '--seed must be an integer'],
  ])('bad usage %j exits 2 and says why', (args, message) => {
    const r = vigal(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});
