/**
 * Issue 16's data for the GPU trainers, in the flat gzipped arrays dump-sft-data.ts and dump-rl-data.ts
 * write (train_nano_sft.py and train_nano_rl.py read them unchanged, one image per row): the joint model
 * (gameConfig('joint'): Snake's 80 px board, Rotation's four views tiled 2 x 2 into one 80 px raster by
 * model/patchify.ts's composeImages, so the bytes here are the very pixels the runtime feeds).
 *
 *   sft  jointSource (train/traces/curriculum.ts: the Snake length curriculum and Rotation over three
 *        class sets, never a registered held-out state): images.u8.gz, ids.i16.gz, lens.i16.gz and
 *        meta.json as dump-sft-data.ts, plus the run's model folder seed: config.json (the joint config
 *        at this vocabulary) and tokenizer.json, built from the training texts as `vigal train sft`
 *        builds them (sft.node.ts runSft). The GPU checkpoints load with these two files.
 *   rl   the RL prompt sets as dump-rl-data.ts, for --model (the SFT folder: config and tokenizer): pool
 *        (jointSource at streamSeed(seed, 'rlPool'), prompts only), val (checkpoint selection: Snake
 *        seed 3000, default and own length >= 8, Rotation seed 3000 over the three class sets) and the
 *        test sets of issue 16's targets, which the trainer only logs. Labels are [best, worst] for a
 *        Snake row and {"rotation": answer} for a Rotation row (train_nano_rl.py scores each by its game).
 *
 * Usage:
 *   npx tsx scripts/gpu/dump-joint-data.ts sft --train 60000 --eval 512 --out DIR [--seed 1 --d-model 192 --n-layer 6 ...]
 *   npx tsx scripts/gpu/dump-joint-data.ts rl --model DIR --pool 40000 --out DIR [--tests 500 --val 300]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { RotationQuestion } from '../../src/games/rotation';
import { snakeLabels } from '../../src/games/snake/labels';
import type { SnakeState } from '../../src/games/snake';
import { validateConfig, type ModelConfig } from '../../src/model/config';
import { promptIds, responseIds } from '../../src/model/inputs';
import { composeImages, type RgbaImage } from '../../src/model/patchify';
import { buildVocabulary, Tokenizer } from '../../src/model/tokenizer';
import { nanoObservation } from '../../src/policy/nano';
import { heldOutPositions } from '../../src/rl/evaluate';
import type { HeldOutSet } from '../../src/rl/heldOutSets';
import { suppressedTokenIds, DEFAULT_STOP_TOKENS } from '../../src/runtime/generate';
import type { SftExample } from '../../src/train/data';
import { gameConfig } from '../../src/train/sft.node.ts';
import { jointSource } from '../../src/train/traces/curriculum';
import { Rng } from '../../src/util/rng';
import { streamSeed } from '../../src/util/streams';

const [kind, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    train: { type: 'string', default: '60000' },
    eval: { type: 'string', default: '512' },
    'd-model': { type: 'string' },
    'n-layer': { type: 'string' },
    'n-head': { type: 'string' },
    'd-ff': { type: 'string' },
    name: { type: 'string', default: 'vigal-nano-joint-sft' },
    model: { type: 'string' },
    pool: { type: 'string', default: '40000' },
    val: { type: 'string', default: '300' },
    tests: { type: 'string', default: '500' },
  },
});
const usage = 'usage: dump-joint-data.ts sft --out DIR [--train N --eval N --seed S --d-model N ...] | rl --model DIR --out DIR [--pool N --val N --tests N]';
if ((kind !== 'sft' && kind !== 'rl') || !values.out) throw new Error(usage);
const out = values.out;
mkdirSync(out, { recursive: true });

// Level 9: the data travels to the GPU machine with the working tree, 64 MiB in all (Rotation's views are most of it).
const gz = (a: ArrayBufferView): Buffer => gzipSync(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), { level: 9 });

/** The one raster a row's patches come from (the board, or the tiled views), as RGB bytes. */
function rowImage(config: ModelConfig, images: readonly RgbaImage[]): Uint8Array {
  const [raster, more] = composeImages(config, images);
  if (!raster || more) throw new Error(`dump: a row needs exactly one raster at imageSize ${config.imageSize}, got ${images.length} image(s)`);
  const n = raster.width * raster.height;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    rgb[3 * i] = raster.data[4 * i] as number;
    rgb[3 * i + 1] = raster.data[4 * i + 1] as number;
    rgb[3 * i + 2] = raster.data[4 * i + 2] as number;
  }
  return rgb;
}

if (kind === 'sft') {
  const int = (k: 'd-model' | 'n-layer' | 'n-head' | 'd-ff'): number | undefined => (values[k] === undefined ? undefined : Number(values[k]));
  const overrides: Partial<ModelConfig> = { name: values.name };
  const [dModel, nLayer, nHead, dFF] = [int('d-model'), int('n-layer'), int('n-head'), int('d-ff')];
  if (dModel !== undefined) overrides.dModel = dModel;
  if (nLayer !== undefined) overrides.nLayer = nLayer;
  if (nHead !== undefined) overrides.nHead = nHead;
  if (dFF !== undefined) overrides.dFF = dFF;
  const shape = gameConfig('joint', overrides);
  const src = jointSource(shape, { seed: Number(values.seed), trainSize: Number(values.train), evalSize: Number(values.eval) });
  // The vocabulary as runSft builds it: the first 2,000 training texts, the default words included.
  const corpus: string[] = [];
  for (let i = 0; i < Math.min(src.trainSize, 2000); i++) {
    const t = src.text('train', i);
    corpus.push(t.prompt, t.response);
  }
  const tok = buildVocabulary(corpus, { maxSize: shape.vocabSize, includeDefaults: true });
  const config = validateConfig({ ...shape, vocabSize: tok.vocabSize });
  const N = src.trainSize + src.evalSize;
  const side = config.imageSize;
  const Np = (side / config.patchSize) ** 2;
  const T = config.maxSeqLen - Np;
  const images = new Uint8Array(N * side * side * 3);
  const ids = new Int16Array(N * T).fill(tok.padId);
  const lens = new Int16Array(N * 2);
  const games = new Uint8Array(N);
  let longest = 0;
  // train_nano_sft.py saves its parity logits for the first two held-out rows: make them one Snake row and
  // one Rotation row (joint index 2 is the first Rotation one), so the parity check sees both inputs.
  const evalOrder = Array.from({ length: src.evalSize }, (_, k) => k);
  if (src.evalSize > 2) evalOrder.splice(1, 2, 2, 1);
  for (let i = 0; i < N; i++) {
    const split = i < src.trainSize ? 'train' : 'eval';
    const index = split === 'train' ? i : (evalOrder[i - src.trainSize] as number);
    const ex: SftExample = split === 'train' ? src.train(index) : src.evalExample(index);
    images.set(rowImage(config, ex.images), i * side * side * 3);
    const p = promptIds(tok, ex.prompt);
    const r = responseIds(tok, ex.response);
    if (p.length + r.length > T) throw new Error(`example ${i}: ${p.length + r.length} text tokens exceed ${T}; raise maxSeqLen`);
    ids.set([...p, ...r], i * T);
    lens[2 * i] = p.length;
    lens[2 * i + 1] = r.length;
    games[i] = src.locate(split, index).game === 'snake' ? 0 : 1;
    longest = Math.max(longest, p.length + r.length);
    if ((i + 1) % 5000 === 0) process.stderr.write(`dump sft: ${i + 1}/${N}\n`);
  }
  writeFileSync(join(out, 'images.u8.gz'), gz(images));
  writeFileSync(join(out, 'ids.i16.gz'), gz(ids));
  writeFileSync(join(out, 'lens.i16.gz'), gz(lens));
  writeFileSync(join(out, 'games.u8.gz'), gz(games));
  writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(join(out, 'tokenizer.json'), tok.toString());
  writeFileSync(
    join(out, 'meta.json'),
    JSON.stringify(
      {
        N,
        T,
        longest,
        train: src.trainSize,
        eval: src.evalSize,
        seed: Number(values.seed),
        config,
        pad: tok.padId,
        bos: tok.bosId,
        eos: tok.eosId,
        vocab: tok.vocabSize,
        games: { snake: Array.from(games).filter((g) => g === 0).length, rotation: Array.from(games).filter((g) => g === 1).length },
      },
      null,
      2,
    ),
  );
  console.log(JSON.stringify({ N, T, longest, train: src.trainSize, eval: src.evalSize, vocab: tok.vocabSize, out }));
} else {
  if (!values.model) throw new Error(usage);
  const config = validateConfig(JSON.parse(readFileSync(join(values.model, 'config.json'), 'utf8')));
  const tok = Tokenizer.fromJSON(readFileSync(join(values.model, 'tokenizer.json'), 'utf8'));
  type Row = { images: RgbaImage[]; prompt: string; label: [string[], string[]] | { rotation: string } };
  const side = config.imageSize;
  const decodeVectors: { ids: number[]; text: string }[] = [];
  const vectorRng = new Rng(7);

  const rowOf = (game: 'snake' | 'rotation', state: SnakeState | RotationQuestion): Row => {
    const obs = nanoObservation(game === 'snake' ? { game, state: state as SnakeState } : { game, state: state as RotationQuestion }, config.imageSize);
    if (game === 'snake') {
      const l = snakeLabels(state as SnakeState);
      return { images: obs.images, prompt: obs.prompt, label: [l.best, l.worst] };
    }
    return { images: obs.images, prompt: obs.prompt, label: { rotation: (state as RotationQuestion).answer } };
  };
  const heldOut = (game: 'snake' | 'rotation', n: number, seed: number, set: HeldOutSet = {}): Row[] =>
    heldOutPositions(game, n, seed, set).map((p) => rowOf(p.game as 'snake' | 'rotation', p.state as SnakeState | RotationQuestion));

  const writeSet = (name: string, rows: readonly Row[]): { rows: number; longestPrompt: number } => {
    const encoded = rows.map((r) => ({ rgb: rowImage(config, r.images), ids: promptIds(tok, r.prompt), label: r.label }));
    const N = encoded.length;
    const P = Math.max(...encoded.map((e) => e.ids.length));
    const images = new Uint8Array(N * side * side * 3);
    const ids = new Int16Array(N * P).fill(tok.padId);
    const lens = new Int16Array(N);
    encoded.forEach((e, i) => {
      images.set(e.rgb, i * side * side * 3);
      ids.set(e.ids, i * P);
      lens[i] = e.ids.length;
    });
    writeFileSync(join(out, `${name}.images.u8.gz`), gz(images));
    writeFileSync(join(out, `${name}.ids.i16.gz`), gz(ids));
    writeFileSync(join(out, `${name}.lens.i16.gz`), gz(lens));
    writeFileSync(join(out, `${name}.labels.json`), JSON.stringify(encoded.map((e) => e.label)));
    process.stderr.write(`dump rl: ${name} ${N} rows\n`);
    return { rows: N, longestPrompt: P };
  };

  // The pool: the joint source's training items at the RL pool's stream (held-out sets excluded there).
  const source = jointSource(config, { seed: streamSeed(Number(values.seed), 'rlPool'), trainSize: Number(values.pool), evalSize: 2 });
  const pool: Row[] = [];
  for (let i = 0; i < source.trainSize; i++) {
    const at = source.locate('train', i);
    pool.push(
      at.game === 'snake' ? rowOf('snake', source.snake.trainStates[at.index] as SnakeState) : rowOf('rotation', source.rotation.trainQuestion(at.index)),
    );
    if (decodeVectors.length < 200) {
      const response = responseIds(tok, source.train(i).response);
      decodeVectors.push({ ids: response, text: tok.decode(response) });
      // Random strings over the whole vocabulary reach the rules solver traces never use (quotes, signs).
      const noise = Array.from({ length: 40 }, () => vectorRng.int(tok.vocabSize));
      decodeVectors.push({ ids: noise, text: tok.decode(noise) });
    }
  }
  const v = Number(values.val);
  const t = Number(values.tests);
  const sets = {
    pool: writeSet('pool', pool),
    // Checkpoint selection: seed 3000 only (registered as validation in rl/heldOutSets.ts).
    val: writeSet('val', [
      ...heldOut('snake', v, 3000),
      ...heldOut('snake', v, 3000, { minLength: 8 }),
      ...heldOut('rotation', Math.ceil(v / 2), 3000),
      ...heldOut('rotation', Math.ceil(v / 2), 3000, { classes: 'three' }),
    ]),
    // Issue 16's targets, logged only; `vigal eval` remeasures the chosen checkpoint on them in TypeScript.
    snake1000: writeSet('snake1000', heldOut('snake', t, 1000)),
    snake2000: writeSet('snake2000', heldOut('snake', t, 2000)),
    long1000: writeSet('long1000', heldOut('snake', t, 1000, { minLength: 8 })),
    long2000: writeSet('long2000', heldOut('snake', t, 2000, { minLength: 8 })),
    rotation1000: writeSet('rotation1000', heldOut('rotation', t, 1000)),
    three1000: writeSet('three1000', heldOut('rotation', t, 1000, { classes: 'three' })),
  };
  writeFileSync(
    join(out, 'meta.json'),
    JSON.stringify({
      config,
      Np: (side / config.patchSize) ** 2,
      sets,
      poolSeed: Number(values.seed),
      valSeed: 3000,
      pad: tok.padId,
      bos: tok.bosId,
      eos: tok.eosId,
      stopIds: [tok.eosId, ...DEFAULT_STOP_TOKENS.map((s) => tok.id(s))],
      suppressedIds: suppressedTokenIds(tok, config.vocabSize),
      vocab: tok.vocab,
      decodeVectors,
    }),
  );
  console.log(JSON.stringify({ out, sets }));
}
