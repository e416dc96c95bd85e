/**
 * Round trips of every engine format (write, read back, check schema and content), byte-identical
 * re-runs, worker-count independence, and the Python reward scoring exported truths like the app.
 * Small images and few samples keep this quick; scripts/bench-export.ts covers the full size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { gameOf } from '../games/registry';
import { decodePng } from '../render/png';
import type { BuildOptions } from './build.node.ts';
import { checkDataset } from './check.node.ts';
import { ExportError, exportDataset, gameAt, validationMask, type ExportOptions } from './export.node.ts';
import { MANIFEST_FILE, type Manifest } from './manifest.node.ts';
import { countPlaceholders, parseGroundTruth, perfectResponse } from './record';
import { ENGINES, TRL_HF_FEATURES, type Engine } from './writers.node.ts';

const root = mkdtempSync(join(tmpdir(), 'vigal-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = (name: string): string => join(root, `${name}-${counter++}`);

/** Tiny images: the layout and the bytes matter here, not the pixels. */
function build(seed: number): BuildOptions {
  return {
    seed,
    promptVariant: 'full',
    snake: { board: 10, minLength: 1, maxLength: 5, imageSize: 64 },
    rotation: { classSet: 'default', example: true, imageSize: 48, supersample: 1 },
  };
}

function exportOpts(engine: Engine, out: string, extra: Partial<ExportOptions> = {}): ExportOptions {
  return { engine, game: 'mix', n: 10, valFraction: 0.3, out, build: build(5), workers: 0, rowGroupSize: 4, ...extra };
}

async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  const file = await asyncBufferFromFile(path);
  return parquetReadObjects({ file, utf8: false });
}

function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function filesOf(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesOf(dir, join(sub, e.name)) : [join(sub, e.name)]))
    .sort();
}

describe('plan', () => {
  it('mix alternates Snake and Rotation, Snake first', () => {
    expect([0, 1, 2, 3].map((i) => gameAt('mix', i))).toEqual(['snake', 'rotation', 'snake', 'rotation']);
    expect(gameAt('rotation', 0)).toBe('rotation');
  });

  it('validation takes exactly round(n * f) seeded positions', () => {
    const mask = validationMask(1000, 0.05, 9);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(50);
    expect(validationMask(1000, 0.05, 9)).toEqual(mask);
    expect(validationMask(1000, 0.05, 10)).not.toEqual(mask);
    expect(validationMask(7, 0, 1).every((v) => v === 0)).toBe(true);
  });
});

describe.each(ENGINES)('%s export round trip', (engine) => {
  it('writes what the engine loader reads and check-dataset passes', async () => {
    const out = freshDir(engine);
    const manifest = await exportDataset(exportOpts(engine, out));
    // 10 samples, 30% validation: 3 val, 7 train; mix gives 5 of each game.
    expect(manifest.counts.train + manifest.counts.val).toBe(10);
    expect(manifest.counts.val).toBe(3);
    expect(JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    expect(existsSync(join(out, 'vigal_reward.py'))).toBe(true);
    expect(readdirSync(root).some((name) => name.includes('.partial'))).toBe(false);

    const report = await checkDataset(out);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.games).toEqual({ snake: 5, rotation: 5 });
    // Snake has one image, Rotation four (example pair + test pair).
    expect(report.images).toBe(5 * 1 + 5 * 4);

    if (engine === 'openrlhf') {
      const rows = readJsonl(join(out, 'train.jsonl'));
      expect(rows).toHaveLength(manifest.counts.train);
      for (const row of rows) {
        expect(Object.keys(row)).toEqual(['prompt', 'images', 'label', 'datasource', 'split', 'index']);
        const [message] = row['prompt'] as { role: string; content: { type: string; text?: string }[] }[];
        expect(message!.role).toBe('user');
        const images = row['images'] as string[];
        expect(message!.content.filter((p) => p.type === 'image')).toHaveLength(images.length);
        expect(message!.content.filter((p) => p.type === 'image').every((p) => Object.keys(p).length === 1)).toBe(true);
        for (const p of images) {
          expect(p.startsWith(out + '/images/train/')).toBe(true);
          expect(decodePng(new Uint8Array(readFileSync(p))).width).toBeGreaterThan(0);
        }
        const truth = parseGroundTruth(row['label']);
        expect(row['datasource']).toBe(`vigal/${truth.game}`);
      }
      return;
    }

    const rows = await readParquet(join(out, 'train.parquet'));
    expect(rows).toHaveLength(manifest.counts.train);
    const file = await asyncBufferFromFile(join(out, 'train.parquet'));
    const metadata = await parquetMetadataAsync(file);
    // rowGroupSize 4: 7 train rows make groups of 4 and 3 (bounded memory while writing).
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([4, 3]);
    for (const [i, row] of rows.entries()) {
      const images = row['images'] as { bytes: Uint8Array; path?: string }[];
      for (const img of images) expect(decodePng(img.bytes).width).toBeGreaterThan(0);
      if (engine === 'verl') {
        expect(Object.keys(row)).toEqual(['data_source', 'prompt', 'images', 'ability', 'reward_model', 'extra_info']);
        const prompt = row['prompt'] as { role: string; content: string }[];
        expect(prompt).toHaveLength(1);
        expect(prompt[0]!.role).toBe('user');
        expect(countPlaceholders(prompt[0]!.content)).toBe(images.length);
        expect(images.every((img) => Object.keys(img).join() === 'bytes')).toBe(true);
        const rm = row['reward_model'] as { style: string; ground_truth: string };
        expect(rm.style).toBe('rule');
        const truth = parseGroundTruth(rm.ground_truth);
        expect(row['data_source']).toBe(`vigal/${truth.game}`);
        const extra = row['extra_info'] as Record<string, unknown>;
        expect(extra['split']).toBe('train');
        expect(extra['index']).toBe(BigInt(i));
        expect(JSON.parse(extra['state'] as string)).toBeTypeOf('object');
      } else if (engine === 'easyr1') {
        expect(Object.keys(row)).toEqual(['problem', 'answer', 'images', 'data_source']);
        expect(countPlaceholders(row['problem'] as string)).toBe(images.length);
        const truth = parseGroundTruth(row['answer']);
        // EasyR1's reward sees only the answer: the Snake state travels inside it.
        if (truth.game === 'snake') expect(truth.state).toBeDefined();
      } else {
        expect(Object.keys(row)).toEqual(['prompt', 'images', 'ground_truth', 'data_source', 'split', 'index']);
        const [message] = row['prompt'] as { role: string; content: { type: string; text: string | null }[] }[];
        expect(message!.content.filter((p) => p.type === 'image')).toHaveLength(images.length);
        expect(images.every((img, k) => img.path === `${String(i).padStart(6, '0')}-${k}.png`)).toBe(true);
      }
    }
    if (engine === 'trl') {
      const hf = metadata.key_value_metadata?.find((kv) => kv.key === 'huggingface');
      expect(JSON.parse(hf!.value!)).toEqual(TRL_HF_FEATURES);
    }
  });
});

describe('determinism', () => {
  it('re-running with the same seed gives byte-identical files (verl)', async () => {
    const a = freshDir('same-a');
    const b = freshDir('same-b');
    const ma = await exportDataset(exportOpts('verl', a));
    const mb = await exportDataset(exportOpts('verl', b));
    expect(mb.contentHash).toBe(ma.contentHash);
    expect(filesOf(a)).toEqual(filesOf(b));
    for (const f of filesOf(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    const c = freshDir('other-seed');
    const mc = await exportDataset(exportOpts('verl', c, { build: build(6) }));
    expect(mc.contentHash).not.toBe(ma.contentHash);
  });

  it('re-running OpenRLHF with the same image root gives byte-identical files, images included', async () => {
    const a = freshDir('orl-a');
    const b = freshDir('orl-b');
    await exportDataset(exportOpts('openrlhf', a, { imageRoot: '/cluster/data/vigal' }));
    await exportDataset(exportOpts('openrlhf', b, { imageRoot: '/cluster/data/vigal' }));
    expect(filesOf(a)).toEqual(filesOf(b));
    for (const f of filesOf(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    expect((await checkDataset(a)).ok).toBe(true);
  });

  it('worker threads give the same bytes as building in-process', async () => {
    const opts = { game: 'snake' as const, n: 150, valFraction: 0.1 };
    const inProcess = await exportDataset(exportOpts('verl', freshDir('w0'), { ...opts, workers: 0 }));
    const pooled = await exportDataset(exportOpts('verl', freshDir('w2'), { ...opts, workers: 2 }));
    expect(pooled.contentHash).toBe(inProcess.contentHash);
    // 150 Snake samples need three 64-state chunks, spread over both workers.
    expect(pooled.sampling.snake?.chunksUsed).toBe(3);
  });
});

describe('arguments and target', () => {
  it('refuses a non-empty output directory', async () => {
    const out = freshDir('busy');
    await exportDataset(exportOpts('easyr1', out));
    await expect(exportDataset(exportOpts('easyr1', out))).rejects.toThrow(/not empty/);
  });

  it('fills an existing empty directory', async () => {
    const out = freshDir('empty');
    mkdirSync(out);
    await exportDataset(exportOpts('verl', out, { game: 'snake', n: 3 }));
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'train.parquet', 'val.parquet', 'vigal_reward.py']);
  });

  it('never replaces a target that something else filled while it ran', async () => {
    const out = freshDir('filled');
    mkdirSync(out);
    // Another writer puts a file into the (empty, so accepted) target while the samples are drawn.
    const onProgress = (done: number): void => {
      if (done === 2) writeFileSync(join(out, 'theirs.txt'), 'kept');
    };
    await expect(exportDataset(exportOpts('verl', out, { game: 'snake', n: 3, onProgress }))).rejects.toThrow(/filled by something else/);
    expect(readdirSync(out)).toEqual(['theirs.txt']);
    expect(readFileSync(join(out, 'theirs.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(root).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it.each([
    [{ n: 0 }, /n must be a positive integer/],
    [{ valFraction: 1 }, /val fraction must be in \[0, 1\)/],
    [{ engine: 'ray' as Engine }, /engine must be one of verl, easyr1, openrlhf, trl/],
    [{ imageRoot: 'relative/path' }, /image root must be an absolute path/],
  ])('rejects %o', async (extra, message) => {
    const out = freshDir('bad');
    await expect(exportDataset(exportOpts('verl', out, extra))).rejects.toThrow(ExportError);
    await expect(exportDataset(exportOpts('verl', out, extra))).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('Python reward on exported data', () => {
  it('scores exported truths exactly as the app does, right and wrong answers alike', async () => {
    const out = freshDir('py');
    await exportDataset(exportOpts('openrlhf', out, { n: 16 }));
    const cases = [...readJsonl(join(out, 'train.jsonl')), ...readJsonl(join(out, 'val.jsonl'))].flatMap((row) => {
      const label = row['label'] as string;
      const truth = parseGroundTruth(label);
      const perfect = perfectResponse(truth);
      const responses = [
        perfect,
        perfect.replace('<think>', ''),
        truth.game === 'snake'
          ? perfect.replace(/<worst_answer>.*<\/worst_answer>/, '<worst_answer>UP</worst_answer>')
          : perfect.replace(/<answer>.*<\/answer>/, '<answer>clockwise 90</answer>'),
        'garbage',
      ];
      return responses.map((response) => {
        const game = gameOf(truth.game);
        const v = game.score(response, game.truthOfExport(truth));
        return { label, response, overall: v.overall, format: v.format, accuracy: v.accuracy };
      });
    });
    const input = join(out, 'cases.json');
    writeFileSync(input, JSON.stringify(cases));
    // The reward file shipped inside the export is the one that scores.
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(out)})`,
      'import vigal_reward as vr',
      `cases = json.load(open(${JSON.stringify(input)}))`,
      'bad = [c for c in cases if vr.compute_score("vigal", c["response"], c["label"]) != {"score": c["overall"], "format": c["format"], "accuracy": c["accuracy"]}]',
      'print(json.dumps({"n": len(cases), "bad": bad[:3]}))',
    ].join('\n');
    const py = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const result = JSON.parse(py.stdout) as { n: number; bad: unknown[] };
    expect(result.n).toBe(64);
    expect(result.bad).toEqual([]);
  });
});

describe('manifest', () => {
  it('records counts, seeds, options, engine and a content hash over every file', async () => {
    const out = freshDir('manifest');
    const m: Manifest = await exportDataset(exportOpts('openrlhf', out));
    expect(m.engine).toBe('openrlhf');
    expect(m.seed).toBe(5);
    expect(m.options).toEqual(build(5));
    expect(m.counts.byGame.train.snake! + m.counts.byGame.val.snake!).toBe(5);
    expect(m.sampling.snake?.chunkSize).toBe(64);
    expect(m.images?.count).toBe(25);
    expect(m.files.map((f) => f.path)).toEqual(['train.jsonl', 'val.jsonl', 'vigal_reward.py']);
    expect(m.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
