/**
 * A tiny random SmolVLM-layout model folder (model_type idefics3, the architecture of SmolVLM-256M/500M),
 * written entirely by this project: config.json, generation_config.json, preprocessor_config.json,
 * processor_config.json, tokenizer.json, tokenizer_config.json (with SmolVLM's chat template) and
 * onnx/{vision_encoder,embed_tokens,decoder_model_merged}.onnx plus decoder_model_merged_q4.onnx.
 * transformers.js loads it like a real export, so tests exercise the local-VLM route without a download.
 * Its weights are seeded noise: it writes gibberish, quickly.
 *
 * Pure: returns the files as bytes; scripts/make-tiny-vlm.ts writes them to disk.
 */
import { Rng } from '../../util/rng';
import {
  buildDecoder,
  buildEmbedTokens,
  buildVisionEncoder,
  imageSeqLen,
  serializeTinyVlm,
  tinyVlmShapes,
  type TinyVlmDims,
  type TinyVlmWeights,
} from '../onnx/tinyvlm';
import { byteLevelTokenizer } from './byteTokenizer';

/** SmolVLM's special tokens, in the order they get ids 256, 257, ... */
export const TINY_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<end_of_utterance>', '<fake_token_around_image>', '<image>', '<global-img>'] as const;

/** SmolVLM-256M-Instruct's chat template (images as `<image>` in the user turn, "Assistant:" to answer). */
export const SMOLVLM_CHAT_TEMPLATE =
  "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}" +
  "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}" +
  "<end_of_utterance>\n{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}";

export const TINY_DIMS: TinyVlmDims = {
  vocabSize: 256 + TINY_SPECIAL_TOKENS.length,
  hidden: 32,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  headDim: 8,
  intermediate: 64,
  imageSize: 32,
  patchSize: 16,
  rmsEps: 1e-5,
  ropeTheta: 10000,
};

export interface TinyVlmOptions {
  seed?: number;
  /** Standard deviation of the random weights (norm gains are 1). */
  std?: number;
  dims?: TinyVlmDims;
  /** Also write decoder_model_merged_q4.onnx (4-bit MatMulNBits), for the per-module dtype choice. */
  q4?: boolean;
}

/** Seeded normal-ish weights (sum of uniforms), norm gains at 1. */
export function tinyVlmWeights(dims: TinyVlmDims, seed: number, std: number): TinyVlmWeights {
  const rng = new Rng(seed);
  const w: TinyVlmWeights = new Map();
  for (const [name, shape] of tinyVlmShapes(dims)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    if (name.endsWith('norm.weight')) v.fill(1);
    else for (let i = 0; i < n; i++) v[i] = (rng.next() + rng.next() + rng.next() - 1.5) * 2 * std;
    w.set(name, v);
  }
  return w;
}

/** Every file of the folder, by relative path. */
export function tinyVlmFiles(opts: TinyVlmOptions = {}): Map<string, Uint8Array> {
  const d = opts.dims ?? TINY_DIMS;
  if (d.imageSize % d.patchSize !== 0) throw new Error(`tiny VLM: imageSize ${d.imageSize} is not a multiple of patchSize ${d.patchSize}`);
  if (d.heads % d.kvHeads !== 0) throw new Error(`tiny VLM: heads ${d.heads} is not a multiple of kvHeads ${d.kvHeads}`);
  const tok = byteLevelTokenizer(TINY_SPECIAL_TOKENS);
  if (d.vocabSize !== 256 + TINY_SPECIAL_TOKENS.length)
    throw new Error(`tiny VLM: vocabSize must be ${256 + TINY_SPECIAL_TOKENS.length} (bytes + special tokens)`);
  const id = (t: (typeof TINY_SPECIAL_TOKENS)[number]): number => tok.special[t] as number;
  const w = tinyVlmWeights(d, opts.seed ?? 1, opts.std ?? 0.2);

  const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');
  const files = new Map<string, Uint8Array>();
  files.set(
    'config.json',
    json({
      architectures: ['Idefics3ForConditionalGeneration'],
      model_type: 'idefics3',
      image_token_id: id('<image>'),
      scale_factor: 1,
      vocab_size: d.vocabSize,
      text_config: {
        model_type: 'llama',
        vocab_size: d.vocabSize,
        hidden_size: d.hidden,
        intermediate_size: d.intermediate,
        num_hidden_layers: d.layers,
        num_attention_heads: d.heads,
        num_key_value_heads: d.kvHeads,
        head_dim: d.headDim,
        rms_norm_eps: d.rmsEps,
        rope_theta: d.ropeTheta,
        max_position_embeddings: 16384,
      },
      vision_config: { model_type: 'idefics3_vision', image_size: d.imageSize, patch_size: d.patchSize, hidden_size: d.hidden },
      vigal: { note: 'tiny random test model written by src/model/vlm/tiny.ts; its output is noise', seed: opts.seed ?? 1 },
    }),
  );
  files.set(
    'generation_config.json',
    json({ bos_token_id: id('<|im_start|>'), eos_token_id: [id('<end_of_utterance>'), id('<|endoftext|>')], pad_token_id: id('<|endoftext|>') }),
  );
  files.set(
    'preprocessor_config.json',
    json({
      image_processor_type: 'Idefics3ImageProcessor',
      processor_class: 'Idefics3Processor',
      do_convert_rgb: true,
      do_resize: true,
      size: { longest_edge: d.imageSize },
      max_image_size: { longest_edge: d.imageSize },
      // One frame per image: SmolVLM's splitting into tiles adds rows of tokens this tiny model does not need.
      do_image_splitting: false,
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [0.5, 0.5, 0.5],
      image_std: [0.5, 0.5, 0.5],
      do_pad: true,
      resample: 1,
    }),
  );
  files.set('processor_config.json', json({ processor_class: 'Idefics3Processor', image_seq_len: imageSeqLen(d) }));
  files.set('tokenizer.json', json(tok.json));
  files.set(
    'tokenizer_config.json',
    json({
      tokenizer_class: 'GPT2Tokenizer',
      bos_token: '<|im_start|>',
      eos_token: '<end_of_utterance>',
      pad_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
      model_max_length: 16384,
      add_prefix_space: false,
      chat_template: SMOLVLM_CHAT_TEMPLATE,
    }),
  );
  files.set('onnx/vision_encoder.onnx', serializeTinyVlm(buildVisionEncoder(d, w)));
  files.set('onnx/embed_tokens.onnx', serializeTinyVlm(buildEmbedTokens(d, w)));
  files.set('onnx/decoder_model_merged.onnx', serializeTinyVlm(buildDecoder(d, w, 'fp32')));
  if (opts.q4 ?? true) files.set('onnx/decoder_model_merged_q4.onnx', serializeTinyVlm(buildDecoder(d, w, 'q4')));
  files.set(
    'README.md',
    new TextEncoder().encode(
      '# tiny random VLM (test model)\n\nWritten by `scripts/make-tiny-vlm.ts`. SmolVLM folder layout, random weights: its answers are noise.\n',
    ),
  );
  return files;
}
