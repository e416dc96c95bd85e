/**
 * Writes the Snake SFT set (the same solver traces `vigal train sft` learns from) as flat, gzipped
 * arrays that a GPU trainer in another language can read without this project's code:
 *   images.u8.gz   uint8  [N, imageSize, imageSize, 3]  the board as the model sees it
 *   ids.i16.gz     int16  [N, T]                        [BOS] prompt \n response [EOS], [PAD]-filled
 *   lens.i16.gz    int16  [N, 2]                        prompt ids, response ids (EOS included)
 *   meta.json      N, T, split sizes, config, tokenizer ids
 * The first `train` rows are training states, the rest held-out (disjoint states).
 * Usage: npx tsx scripts/gpu/dump-sft-data.ts --tokenizer DIR/tokenizer.json --train 30000 --eval 256 --out DIR
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Tokenizer } from '../../src/model/tokenizer';
import { promptIds, responseIds } from '../../src/model/inputs';
import { rasterToRgb } from '../../src/render/raster';
import { gameConfig } from '../../src/train/sft.node.ts';
import { snakeSource } from '../../src/train/traces/snake';

const { values } = parseArgs({
  options: {
    tokenizer: { type: 'string' },
    train: { type: 'string', default: '30000' },
    eval: { type: 'string', default: '256' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (!values.tokenizer || !values.out) throw new Error('usage: --tokenizer FILE --out DIR [--train N --eval N --seed S]');
const config = gameConfig('snake');
const tok = Tokenizer.fromJSON(readFileSync(values.tokenizer, 'utf8'));
const src = snakeSource(config, { seed: Number(values.seed), trainSize: Number(values.train), evalSize: Number(values.eval) });
const N = src.trainSize + src.evalSize;
const side = config.imageSize;
const Np = (side / config.patchSize) ** 2;
const T = config.maxSeqLen - Np;
const images = new Uint8Array(N * side * side * 3);
const ids = new Int16Array(N * T).fill(tok.padId);
const lens = new Int16Array(N * 2);
let longest = 0;
for (let i = 0; i < N; i++) {
  const ex = i < src.trainSize ? src.train(i) : src.evalExample(i - src.trainSize);
  const rgb = rasterToRgb(ex.images[0] as Parameters<typeof rasterToRgb>[0]);
  images.set(rgb, i * side * side * 3);
  const p = promptIds(tok, ex.prompt);
  const r = responseIds(tok, ex.response);
  if (p.length + r.length > T) throw new Error(`example ${i}: ${p.length + r.length} text tokens exceed ${T}`);
  ids.set([...p, ...r], i * T);
  lens[2 * i] = p.length;
  lens[2 * i + 1] = r.length;
  longest = Math.max(longest, p.length + r.length);
}
mkdirSync(values.out, { recursive: true });
const gz = (a: ArrayBufferView) => gzipSync(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), { level: 6 });
writeFileSync(join(values.out, 'images.u8.gz'), gz(images));
writeFileSync(join(values.out, 'ids.i16.gz'), gz(ids));
writeFileSync(join(values.out, 'lens.i16.gz'), gz(lens));
writeFileSync(
  join(values.out, 'meta.json'),
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
    },
    null,
    2,
  ),
);
console.log(JSON.stringify({ N, T, longest, out: values.out }));
