/**
 * check-dataset on broken exports, and the CLI end to end: usage errors, and an export killed or
 * interrupted mid-way leaving nothing that looks complete.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDataset } from './check.node.ts';
import { exportDataset, type ExportOptions } from './export.node.ts';
import { MANIFEST_FILE } from './manifest.node.ts';

const root = mkdtempSync(join(tmpdir(), 'vigal-check-'));
/** Children still running when a test fails are stopped here, by their own pid. */
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repo, 'bin', 'vigal.js');

function opts(out: string, engine: ExportOptions['engine']): ExportOptions {
  return {
    engine,
    game: 'snake',
    n: 8,
    valFraction: 0.25,
    out,
    workers: 0,
    build: {
      seed: 11,
      promptVariant: 'compact',
      snake: { board: 10, minLength: 1, maxLength: 5, imageSize: 48 },
      rotation: { classSet: 'default', example: false, imageSize: 48, supersample: 1 },
    },
  };
}

describe('check-dataset finds problems', () => {
  it('a directory without a manifest is not a complete export', async () => {
    const report = await checkDataset(root);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/no manifest.json/);
  });

  it('a changed label, a duplicated state across splits and a changed file are each reported', async () => {
    const out = join(root, 'tampered');
    await exportDataset(opts(out, 'openrlhf'));
    expect((await checkDataset(out)).ok).toBe(true);

    // Copy a train sample into val: a state in both splits (and counts and hash no longer match).
    const trainLine = readFileSync(join(out, 'train.jsonl'), 'utf8').split('\n')[0]!;
    appendFileSync(join(out, 'val.jsonl'), trainLine + '\n');
    // Flip a label: best becomes a deadly move, so a "perfect" response no longer matches the state.
    const lines = readFileSync(join(out, 'train.jsonl'), 'utf8').trim().split('\n');
    const row = JSON.parse(lines[1]!) as { label: string };
    const truth = JSON.parse(row.label) as { best: string[]; worst: string[] };
    truth.best = truth.best[0] === 'UP' ? ['DOWN'] : ['UP'];
    row.label = JSON.stringify(truth);
    lines[1] = JSON.stringify(row);
    writeFileSync(join(out, 'train.jsonl'), lines.join('\n') + '\n');

    const report = await checkDataset(out);
    expect(report.ok).toBe(false);
    expect(report.checks.splitOverlap).toBe(false);
    expect(report.checks.labels).toBe(false);
    expect(report.checks.counts).toBe(false);
    expect(report.checks.contentHash).toBe(false);
    expect(report.checks.schema).toBe(true);
    expect(report.problems.some((p) => /appears in val too/.test(p))).toBe(true);
  });

  it('a corrupt PNG fails the image check', async () => {
    const out = join(root, 'badpng');
    await exportDataset(opts(out, 'openrlhf'));
    const path = join(out, 'images', 'train', '000000-0.png');
    const bytes = readFileSync(path);
    // Past the 8-byte signature and IHDR: inside PLTE or IDAT, whose CRC no longer matches.
    for (let i = 40; i < 48; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(path, bytes);
    const report = await checkDataset(out);
    expect(report.checks.png).toBe(false);
    expect(report.checks.contentHash).toBe(false);
    expect(report.problems.some((p) => /train row 0 image 0: not a PNG/.test(p))).toBe(true);
  });

  it('corrupted bytes inside a parquet file are reported, never thrown', async () => {
    const out = join(root, 'badparquet');
    await exportDataset(opts(out, 'verl'));
    const path = join(out, 'train.parquet');
    const bytes = readFileSync(path);
    for (let i = 200; i < 260; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(path, bytes);
    const report = await checkDataset(out);
    expect(report.ok).toBe(false);
    expect(report.checks.contentHash).toBe(false);
    // Whatever the flipped bytes hit (a PNG, a page header, compressed text), the rows do not read clean.
    expect(report.checks.png && report.checks.schema && report.checks.labels).toBe(false);
  });

  it('a missing data file is reported', async () => {
    const out = join(root, 'missing');
    await exportDataset(opts(out, 'easyr1'));
    unlinkSync(join(out, 'val.parquet'));
    const report = await checkDataset(out);
    expect(report.checks.manifest).toBe(false);
    expect(report.problems[0]).toMatch(/val.parquet is listed but missing/);
  });
});

describe('vigal export / check-dataset (CLI)', () => {
  it('exits 2 with a message naming the valid values on bad arguments', () => {
    const run = spawnSync(process.execPath, [cli, 'export', '--engine', 'ray', '--game', 'snake', '--n', '5', '--out', join(root, 'x')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--engine must be one of verl, easyr1, openrlhf, trl; got 'ray'/);
    const frac = spawnSync(
      process.execPath,
      [cli, 'export', '--engine', 'verl', '--game', 'snake', '--n', '5', '--val-fraction', '2', '--out', join(root, 'x')],
      { encoding: 'utf8' },
    );
    expect(frac.status).toBe(2);
    expect(frac.stderr).toMatch(/--val-fraction must be a number in \[0, 1\)/);
  });

  it('exports, then check-dataset prints an ok report and exits 0', () => {
    const out = join(root, 'cli-ok');
    const run = spawnSync(
      process.execPath,
      [
        cli,
        'export',
        '--engine',
        'trl',
        '--game',
        'rotation',
        '--n',
        '4',
        '--seed',
        '2',
        '--val-fraction',
        '0.25',
        '--image-size',
        '48',
        '--no-example',
        '--rotation-classes',
        '3',
        '--workers',
        '0',
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as { counts: { train: number; val: number } };
    expect(summary.counts.train + summary.counts.val).toBe(4);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')) as { options: { rotation: { classSet: string; example: boolean } } };
    expect(manifest.options.rotation).toMatchObject({ classSet: 'three', example: false });
    const check = spawnSync(process.execPath, [cli, 'check-dataset', out], { encoding: 'utf8' });
    expect(check.status).toBe(0);
    expect((JSON.parse(check.stdout) as { ok: boolean }).ok).toBe(true);
  });

  /** Starts a long export and resolves once its staging directory holds a flushed row group. */
  function startLongExport(out: string): Promise<{ child: ReturnType<typeof spawn>; stage: string }> {
    const child = spawn(
      process.execPath,
      [cli, 'export', '--engine', 'verl', '--game', 'snake', '--n', '50000', '--image-size', '48', '--workers', '0', '--row-group', '64', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const stage = readdirSync(root).find((n) => n.startsWith('.kill') || n.startsWith('.int'));
        const parquet = stage ? join(root, stage, 'train.parquet') : null;
        if (stage && parquet && existsSync(parquet) && statSync(parquet).size > 10_000) {
          clearInterval(poll);
          resolve({ child, stage: join(root, stage) });
        } else if (Date.now() - started > 30_000 || child.exitCode !== null) {
          clearInterval(poll);
          reject(new Error('the export did not start writing in 30 s'));
        }
      }, 50);
    });
  }

  it('an export killed mid-way (SIGKILL) leaves no complete-looking output', async () => {
    const out = join(root, 'kill-target');
    const { child, stage } = await startLongExport(out);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Nothing at the target; the hidden staging directory has a parquet file without its footer.
    expect(existsSync(out)).toBe(false);
    expect((await checkDataset(out)).ok).toBe(false);
    expect(existsSync(join(stage, MANIFEST_FILE))).toBe(false);
    const file = await asyncBufferFromFile(join(stage, 'train.parquet'));
    await expect(parquetMetadataAsync(file)).rejects.toThrow();
    rmSync(stage, { recursive: true, force: true });
  }, 60_000);

  it('an interrupted export (SIGINT) removes its staging directory and exits 130', async () => {
    const out = join(root, 'int-target');
    const { child, stage } = await startLongExport(out);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(existsSync(stage)).toBe(false);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
