/**
 * Errors the user can fix, end to end through real `vigal` processes: two exports racing for one --out,
 * --out paths that cannot be written, and model folders with a corrupt or missing file. Each must end
 * with one clear line on stderr (no stack trace), exit status 2, and nothing overwritten.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODEL_FILES } from '../model/files';

const BIN = join(__dirname, '../../bin/vigal.js');
const MODEL = join(__dirname, '../../models/vigal-nano-snake-sft');
const root = mkdtempSync(join(tmpdir(), 'vigal-user-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
}

function vigal(args: string[]): Run {
  // SIGKILL on timeout: a process spinning in a synchronous call never runs its SIGTERM handler.
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function vigalAsync(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** One line on stderr, prefixed `vigal: `, with no stack frame in it. */
function expectOneCleanLine(r: Run, message: string | RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.err.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^vigal: /);
  expect(lines[0]).not.toMatch(/\n\s+at |Error: /);
  expect(lines[0]).toMatch(message);
}

const exportArgs = (out: string, seed: number): string[] => [
  'export',
  '--engine',
  'trl',
  '--game',
  'snake',
  '--n',
  '4',
  '--seed',
  String(seed),
  '--image-size',
  '64',
  '--workers',
  '0',
  '--no-progress',
  '--out',
  out,
];

describe('vigal export: the target is claimed once', () => {
  it('two exports racing into one --out: one wins, the other fails with one line, and the winner is kept', async () => {
    const out = join(root, 'race');
    const runs = await Promise.all([vigalAsync(exportArgs(out, 1)), vigalAsync(exportArgs(out, 2))]);
    expect(runs.map((r) => r.code).sort()).toEqual([0, 2]);
    const winner = runs.find((r) => r.code === 0)!;
    const loser = runs.find((r) => r.code === 2)!;
    expectOneCleanLine(loser, /another export is writing|is not empty|was filled by something else/);
    expect(loser.out).toBe('');
    // The directory holds the winner's export, not a mixture and not the loser's.
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { contentHash: string };
    expect(manifest.contentHash).toBe((JSON.parse(winner.out) as { contentHash: string }).contentHash);
    expect(readdirSync(root).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it('an export into a finished export is refused and changes nothing', () => {
    const out = join(root, 'twice');
    expect(vigal(exportArgs(out, 1)).code).toBe(0);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    expectOneCleanLine(vigal(exportArgs(out, 2)), /is not empty/);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('a staging directory left by a killed export blocks the target until removed, and says so', () => {
    const out = join(root, 'killed');
    mkdirSync(join(root, '.killed.partial'));
    expectOneCleanLine(vigal(exportArgs(out, 1)), /another export is writing .*killed.*remove it/);
    expect(existsSync(out)).toBe(false);
    rmSync(join(root, '.killed.partial'), { recursive: true });
    expect(vigal(exportArgs(out, 1)).code).toBe(0);
  });
});

describe('vigal export: an --out that cannot be written', () => {
  const file = join(root, 'a-file');
  writeFileSync(file, 'not a directory');
  const cases: [string, RegExp][] = [
    [join(file, 'x'), /a-file\/x: a part of the path is a file/],
    [join(file, 'x', 'y'), /a part of the path is a file/],
    [file, /a-file is a file, not a directory/],
  ];
  // Linux's virtual file systems refuse new directories (the /proc case once made Node's recursive mkdir spin forever).
  if (existsSync('/proc/self'))
    cases.push(['/proc/vigal-test-out', /cannot create the output directory/], ['/proc/self/vigal/x', /cannot create the output directory/]);
  if (existsSync('/sys/kernel')) cases.push(['/sys/vigal-test-out', /cannot create the output directory/]);
  it.each(cases)('--out %s: one line, exit 2', (out, message) => {
    expectOneCleanLine(vigal(exportArgs(out, 1)), message);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });
});

describe('a model folder with a corrupt or missing file', () => {
  const corrupt = join(root, 'corrupt-onnx');
  cpSync(MODEL, corrupt, { recursive: true });
  // The first kilobyte of the real model: a truncated download.
  writeFileSync(join(corrupt, MODEL_FILES.onnx), readFileSync(join(MODEL, MODEL_FILES.onnx)).subarray(0, 1000));
  const noTokenizer = join(root, 'no-tokenizer');
  cpSync(MODEL, noTokenizer, { recursive: true });
  rmSync(join(noTokenizer, MODEL_FILES.tokenizer));
  const badCheckpoint = join(root, 'bad-checkpoint');
  mkdirSync(badCheckpoint);
  for (const f of [MODEL_FILES.config, MODEL_FILES.safetensors]) copyFileSync(join(MODEL, f), join(badCheckpoint, f));
  writeFileSync(join(badCheckpoint, MODEL_FILES.tokenizer), '{"model": {"type": "Word');

  it.each([
    [['eval', 'snake', '--policy', `nano:${corrupt}`, '--n', '1'], /model\.onnx is not a readable ONNX file/],
    [['eval', 'snake', '--policy', `nano:${noTokenizer}`, '--n', '1'], /has no tokenizer\.json/],
    [['serve', '--model', `nano:${corrupt}`, '--port', '0'], /model\.onnx is not a readable ONNX file/],
    [['serve', '--model', `nano:${noTokenizer}`, '--port', '0'], /has no tokenizer\.json/],
    [['export-model', '--checkpoint', badCheckpoint, '--out', join(root, 'never-written')], /tokenizer\.json is not valid JSON/],
  ])('%j: the message alone, exit 2', (args, message) => {
    expectOneCleanLine(vigal(args), message);
  });
});
