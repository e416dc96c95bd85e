/** `vigal train sft --game joint` and `--data`: misuse ends with one clear line and status 2, before any training. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(__dirname, '../../../bin/vigal.js');

function vigal(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('vigal train sft: --game joint and --data', () => {
  it.each([
    [['train', 'sft', '--game', 'joint', '--data', 'standard', '--out', '/tmp/x'], /--game joint trains on the curriculum data/],
    [['train', 'sft', '--game', 'snake', '--data', 'long', '--out', '/tmp/x'], /--data must be one of standard, curriculum; got 'long'/],
    [['train', 'sft', '--game', 'both', '--out', '/tmp/x'], /--game must be one of snake, rotation, joint; got 'both'/],
  ])('%j exits 2 with one line', (args, message) => {
    const r = vigal(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^vigal: /);
    expect(lines[0]).toMatch(message);
  });
});
