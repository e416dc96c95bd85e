/**
 * Jigsaw exported for every engine through the generic export (data/export.node.ts reads the registry),
 * validated by the dataset checker, and its rows scored by the Python reward shipped inside the export:
 * the right answer 1.1, the shuffle as shown 0.1, exactly as the TypeScript verifier scores them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDataset } from '../../data/check.node.ts';
import { exportDataset } from '../../data/export.node.ts';
import { ENGINES, type Engine } from '../../data/writers.node.ts';
import { jigsawGame } from './game';

const root = mkdtempSync(join(tmpdir(), 'vigal-jigsaw-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every string field of a row (nested too) that is a Jigsaw ground truth. */
function truthsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.startsWith('{"game":"jigsaw"')) out.push(value);
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) for (const v of Object.values(value)) truthsIn(v, out);
  return out;
}

async function rows(dir: string, engine: Engine): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const split of ['train', 'val']) {
    if (engine === 'openrlhf')
      out.push(
        ...readFileSync(join(dir, `${split}.jsonl`), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
      );
    else out.push(...(await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, `${split}.parquet`)) })));
  }
  return out;
}

describe.each(ENGINES)('Jigsaw export for %s', (engine) => {
  it('passes the dataset checker, regenerates its questions, and the shipped Python reward agrees', { timeout: 120_000 }, async () => {
    const out = join(root, engine);
    const manifest = await exportDataset({
      engine,
      game: 'jigsaw',
      n: 12,
      valFraction: 0.25,
      out,
      workers: 0,
      rowGroupSize: 4,
      build: {
        seed: 3,
        promptVariant: 'full',
        snake: { board: 10, minLength: 1, maxLength: 5, imageSize: 64 },
        rotation: { classSet: 'default', example: true, imageSize: 48, supersample: 1 },
        questions: { jigsaw: { grid: 3, imageSize: 72, supersample: 1 } },
      },
    });
    expect(manifest.counts.byGame).toEqual({ train: { jigsaw: 9 }, val: { jigsaw: 3 } });
    const report = await checkDataset(out);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);

    const truths = (await rows(out, engine)).map((row) => truthsIn(row)[0]!);
    expect(truths).toHaveLength(12);
    const cases = truths.flatMap((truth) => {
      const e = jigsawGame.parseExportTruth(JSON.parse(truth) as Record<string, unknown>);
      // The truth regenerates the very question it was exported from, at its grid.
      const q = jigsawGame.stateOfExport(e)!;
      expect(q.grid).toBe(3);
      expect(q.answer).toEqual(e.answer);
      const answer = jigsawGame.truthOfExport(e);
      return [jigsawGame.perfectResponse(answer), jigsawGame.handResponse('[1, 2, 3, 4, 5, 6, 7, 8, 9]'), 'garbage'].map((response) => {
        const v = jigsawGame.score(response, answer);
        return { truth, response, expect: { score: v.overall, format: v.format, accuracy: v.accuracy } };
      });
    });
    expect(cases.filter((c) => c.expect.score === 1.1)).toHaveLength(12);
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(out)})`,
      'import vigal_reward as vr',
      'cases = json.load(sys.stdin)',
      'bad = [c for c in cases if vr.compute_score("vigal/jigsaw", c["response"], c["truth"]) != c["expect"]]',
      'trl = vr.trl_reward(completions=[c["response"] for c in cases], ground_truth=[c["truth"] for c in cases])',
      'bad += [c for c, s in zip(cases, trl) if s != c["expect"]["score"]]',
      'print(json.dumps({"n": len(cases), "bad": bad[:3]}))',
    ].join('\n');
    const py = spawnSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(JSON.parse(py.stdout)).toEqual({ n: 36, bad: [] });
  });
});
