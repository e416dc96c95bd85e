/**
 * Writes the tiny random SmolVLM-layout test model (src/model/vlm/tiny.ts) into a folder:
 *   npx tsx scripts/make-tiny-vlm.ts models/dev-tiny-vlm [--seed 1] [--no-q4]
 * Folders named models/dev-* are git-ignored and served by the dev/preview servers under /models/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { tinyVlmFiles, type TinyVlmOptions } from '../src/model/vlm/tiny';

export function writeTinyVlm(dir: string, opts: TinyVlmOptions = {}): string {
  const out = resolve(dir);
  for (const [rel, bytes] of tinyVlmFiles(opts)) {
    const file = join(out, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
  return out;
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const program = new Command('make-tiny-vlm')
    .description('write a tiny random SmolVLM-layout model folder (for tests; its output is noise)')
    .argument('<dir>', 'output folder, e.g. models/dev-tiny-vlm')
    .option('--seed <n>', 'weight seed', '1')
    .option('--no-q4', 'skip onnx/decoder_model_merged_q4.onnx')
    .action((dir: string, o: { seed: string; q4: boolean }) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0) program.error(`--seed must be a non-negative integer, got ${o.seed}`, { exitCode: 2 });
      process.stdout.write(`${writeTinyVlm(dir, { seed, q4: o.q4 })}\n`);
    });
  program.parse();
}
