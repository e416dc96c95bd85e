/**
 * Test support: a tiny random nano model folder (the model testkit's shapes, Snake, 32 px images) for
 * tests that start a real `vigal serve`, in milliseconds and without the shipped checkpoint. Its answers
 * are noise; the tests check the plumbing, not the play.
 *
 * Also runnable, for the browser tests: `node --import tsx src/server/testkit.ts OUT_DIR`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeModelFolder } from '../model/export';
import { randomParams } from '../model/params';
import { TEST_CONFIG } from '../model/testkit';
import { defaultTokenizer } from '../model/tokenizer';

export const TINY_MODEL_NAME = 'nano-tiny';

export async function writeTinyModel(dir: string, seed = 7): Promise<string> {
  // maxSeqLen 384: the compact prompt (~170 tokens) + 16 patches leave room for a whole answer.
  const config = { ...TEST_CONFIG, name: TINY_MODEL_NAME, maxSeqLen: 384 };
  await writeModelFolder(dir, { config, params: randomParams(config, seed, { std: 0.1 }), tokenizer: defaultTokenizer() });
  return dir;
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node --import tsx src/server/testkit.ts OUT_DIR');
  await writeTinyModel(out);
}
