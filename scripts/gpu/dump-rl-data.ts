/**
 * Writes the Snake RL prompt sets as flat, gzipped arrays for the GPU RL trainer (train_nano_rl.py),
 * which reads them without this project's code. Each set `S` (pool, val, test1000, test2000) is:
 *   S.images.u8.gz   uint8  [N, imageSize, imageSize, 3]  the board as the model sees it (no axes)
 *   S.ids.i16.gz     int16  [N, P]                        [BOS] prompt \n, [PAD]-filled to P
 *   S.lens.i16.gz    int16  [N]                           prompt ids per row
 *   S.labels.json    [[best moves], [worst moves]] per row (snakeLabels: what the verifier scores)
 * and meta.json has the config, the tokenizer's vocabulary and special ids, decode vectors (solver
 * responses and random id strings with Tokenizer.decode's text: the trainer ports the decoder's spacing
 * rules and refuses to start unless it reproduces every one) and the generation contract (stop ids,
 * suppressed ids).
 *
 * Sets:
 *   pool      the RL trainer's training states (PromptPool: snakeSource at streamSeed(seed, 'rlPool')),
 *             minus every state of the three held-out sets below
 *   val       held-out states (heldOutPositions seed 3000) that checkpoint selection may look at
 *   test1000  `vigal eval`'s default set (n 200, seed 1000) and test2000 (n 500, seed 2000): the trainer
 *             logs greedy accuracy on them but selects nothing by them; `vigal eval` remeasures
 *             the chosen checkpoint on them in TypeScript
 *
 * Usage: npx tsx scripts/gpu/dump-rl-data.ts --model models/vigal-nano-snake-sft --pool 40000 --out out/gpu-rl-data
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { validateConfig } from '../../src/model/config';
import { Tokenizer } from '../../src/model/tokenizer';
import { promptIds, responseIds } from '../../src/model/inputs';
import { rasterToRgb } from '../../src/render/raster';
import { suppressedTokenIds, DEFAULT_STOP_TOKENS } from '../../src/runtime/generate';
import { heldOutPositions } from '../../src/rl/evaluate';
import { snakeLabels } from '../../src/games/snake/labels';
import { snakeStateKey, type SnakeState } from '../../src/games/snake';
import { snakeExample, snakeSource } from '../../src/train/traces/snake';
import { Rng } from '../../src/util/rng';
import { streamSeed } from '../../src/util/streams';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/vigal-nano-snake-sft' },
    pool: { type: 'string', default: '40000' },
    seed: { type: 'string', default: '1' },
    val: { type: 'string', default: '1000' },
    'val-seed': { type: 'string', default: '3000' },
    out: { type: 'string' },
  },
});
if (!values.out) throw new Error('usage: dump-rl-data.ts --out DIR [--model DIR --pool N --seed S --val N --val-seed S]');
const config = validateConfig(JSON.parse(readFileSync(join(values.model, 'config.json'), 'utf8')));
const tok = Tokenizer.fromJSON(readFileSync(join(values.model, 'tokenizer.json'), 'utf8'));
const side = config.imageSize;
const Np = (side / config.patchSize) ** 2;

const tests: Record<string, SnakeState[]> = {
  test1000: heldOutPositions('snake', 200, 1000).map((p) => p.state as SnakeState),
  test2000: heldOutPositions('snake', 500, 2000).map((p) => p.state as SnakeState),
};
const testKeys = new Set(Object.values(tests).flat().map(snakeStateKey));
const val = heldOutPositions('snake', Number(values.val), Number(values['val-seed']))
  .map((p) => p.state as SnakeState)
  .filter((s) => !testKeys.has(snakeStateKey(s)));
const heldOutKeys = new Set([...testKeys, ...val.map(snakeStateKey)]);
const source = snakeSource(config, { seed: streamSeed(Number(values.seed), 'rlPool'), trainSize: Number(values.pool), evalSize: 1 });
const pool = source.trainStates.filter((s) => !heldOutKeys.has(snakeStateKey(s)));

const decodeVectors: { ids: number[]; text: string }[] = [];
const vectorRng = new Rng(7);

function writeSet(name: string, states: readonly SnakeState[]): { rows: number; longestPrompt: number } {
  const N = states.length;
  const encoded = states.map((s) => {
    const ex = snakeExample(config, s);
    if (decodeVectors.length < 200 && name === 'pool') {
      const response = responseIds(tok, ex.response);
      decodeVectors.push({ ids: response, text: tok.decode(response) });
      // Random strings over the whole vocabulary reach the rules solver traces never use (quotes, signs).
      const noise = Array.from({ length: 40 }, () => vectorRng.int(tok.vocabSize));
      decodeVectors.push({ ids: noise, text: tok.decode(noise) });
    }
    return { rgb: rasterToRgb(ex.images[0] as Parameters<typeof rasterToRgb>[0]), ids: promptIds(tok, ex.prompt), labels: snakeLabels(s) };
  });
  const P = Math.max(...encoded.map((e) => e.ids.length));
  const images = new Uint8Array(N * side * side * 3);
  const ids = new Int16Array(N * P).fill(tok.padId);
  const lens = new Int16Array(N);
  encoded.forEach((e, i) => {
    images.set(e.rgb, i * side * side * 3);
    ids.set(e.ids, i * P);
    lens[i] = e.ids.length;
  });
  const gz = (a: ArrayBufferView): Buffer => gzipSync(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), { level: 6 });
  writeFileSync(join(values.out as string, `${name}.images.u8.gz`), gz(images));
  writeFileSync(join(values.out as string, `${name}.ids.i16.gz`), gz(ids));
  writeFileSync(join(values.out as string, `${name}.lens.i16.gz`), gz(lens));
  writeFileSync(join(values.out as string, `${name}.labels.json`), JSON.stringify(encoded.map((e) => [e.labels.best, e.labels.worst])));
  return { rows: N, longestPrompt: P };
}

mkdirSync(values.out, { recursive: true });
const sets = {
  pool: writeSet('pool', pool),
  val: writeSet('val', val),
  test1000: writeSet('test1000', tests.test1000 as SnakeState[]),
  test2000: writeSet('test2000', tests.test2000 as SnakeState[]),
};
const meta = {
  config,
  Np,
  sets,
  poolSeed: Number(values.seed),
  valSeed: Number(values['val-seed']),
  pad: tok.padId,
  bos: tok.bosId,
  eos: tok.eosId,
  stopIds: [tok.eosId, ...DEFAULT_STOP_TOKENS.map((s) => tok.id(s))],
  suppressedIds: suppressedTokenIds(tok, config.vocabSize),
  vocab: tok.vocab,
  decodeVectors,
};
writeFileSync(join(values.out, 'meta.json'), JSON.stringify(meta));
console.log(JSON.stringify({ out: values.out, sets, stopIds: meta.stopIds }));
