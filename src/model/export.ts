/**
 * A model folder, `models/<name>/`: everything a checkpoint needs to run and to be understood.
 *   config.json        the one config (config.ts)
 *   tokenizer.json     Hugging Face tokenizers format (tokenizer.ts)
 *   model.onnx         fp32 graph (onnx/nano.ts)
 *   model_q4.onnx      4-bit MatMulNBits graph
 *   model.safetensors  the trainer's weights, names and shapes from config.parameterShapes, config in metadata
 *   README.md          model card
 * `modelFolderFiles` builds the bytes anywhere (the browser can offer them as downloads);
 * `writeModelFolder` writes them with node:fs.
 */
import { parameterShapes, validateConfig, type ModelConfig } from './config';
import { MODEL_FILES } from './files';
import { buildNanoGraph, FORMAT_VERSION } from './onnx/nano';
import { checkParams, parameterCount, type Params } from './params';
import type { Tokenizer } from './tokenizer';
import { expectTensor, f32, readSafetensors, writeSafetensors, type SafeTensor } from '../util/safetensors';

/** What the model card reports beyond the config; every field optional. */
export interface ModelCardInfo {
  /** One paragraph: what this checkpoint is. */
  description?: string;
  /** e.g. 'vigal train sft --game snake --steps 2000 --seed 1'. */
  trainingCommand?: string;
  steps?: number;
  wallTime?: string;
  /** Held-out metrics by name (accuracy, format_rate, mean_reward, win rate vs greedy bot, ...). */
  metrics?: Record<string, number | string>;
  /** Free-form markdown appended at the end. */
  notes?: string;
}

export interface ModelFolderInput {
  config: ModelConfig;
  params: Params;
  tokenizer: Tokenizer;
  card?: ModelCardInfo | string;
}

/** The folder's files as bytes, in write order. */
export function modelFolderFiles(input: ModelFolderInput): Map<string, Uint8Array> {
  const config = validateConfig(input.config);
  const params = checkParams(config, input.params);
  if (input.tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`tokenizer has ${input.tokenizer.vocabSize} tokens, more than config.vocabSize ${config.vocabSize}`);
  }
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  files.set(MODEL_FILES.config, enc.encode(JSON.stringify(config, null, 2) + '\n'));
  files.set(MODEL_FILES.tokenizer, enc.encode(input.tokenizer.toString() + '\n'));
  files.set(MODEL_FILES.onnx, buildNanoGraph(config, params, { quant: 'fp32' }));
  files.set(MODEL_FILES.onnxQ4, buildNanoGraph(config, params, { quant: 'q4' }));
  files.set(MODEL_FILES.safetensors, paramsToSafetensors(config, params));
  const sizes = new Map([...files].map(([name, bytes]) => [name, bytes.length]));
  const card = typeof input.card === 'string' ? input.card : modelCard(config, input.tokenizer, sizes, input.card ?? {});
  files.set(MODEL_FILES.card, enc.encode(card));
  return files;
}

/** Writes the folder (created if needed) and returns each file's path and size. Node only. */
export async function writeModelFolder(dir: string, input: ModelFolderInput): Promise<{ path: string; bytes: number }[]> {
  // Variable specifiers keep bundlers from pulling node:fs into a browser build that imports this module.
  const fsName = 'node:fs/promises';
  const pathName = 'node:path';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  const path = (await import(/* @vite-ignore */ pathName)) as typeof import('node:path');
  const files = modelFolderFiles(input);
  await fs.mkdir(dir, { recursive: true });
  const written: { path: string; bytes: number }[] = [];
  for (const [name, bytes] of files) {
    const full = path.join(dir, name);
    await fs.writeFile(full, bytes);
    written.push({ path: full, bytes: bytes.length });
  }
  return written;
}

/** The trainer's weights as safetensors, in parameterShapes order, with the config in the metadata. */
export function paramsToSafetensors(config: ModelConfig, params: Params): Uint8Array {
  const w = checkParams(config, params);
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, shape] of parameterShapes(config)) tensors[name] = f32(shape, w.get(name) as Float32Array);
  return writeSafetensors(tensors, { format: 'pt', config: JSON.stringify(config) });
}

/** Reads model.safetensors back into named parameters, checking every shape against `config`. */
export function paramsFromSafetensors(config: ModelConfig, bytes: Uint8Array, source = MODEL_FILES.safetensors): Map<string, Float32Array> {
  const file = readSafetensors(bytes, source);
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(config)) out.set(name, expectTensor(file, name, 'F32', shape, source));
  return out;
}

const human = (bytes: number): string => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

/** The README.md model card. */
export function modelCard(config: ModelConfig, tokenizer: Tokenizer, sizes: Map<string, number>, info: ModelCardInfo): string {
  const c = config;
  const lines: string[] = [
    '---',
    'library_name: onnxruntime-web',
    'pipeline_tag: image-text-to-text',
    `tags: [vigal, ${c.games.join(', ')}, onnx, nano]`,
    '---',
    '',
    `# ${c.name}`,
    '',
    info.description ??
      `A nano multimodal decoder (ViGaL Playground) for ${c.games.join(' and ')}: game images as patches, a compact prompt, and a \`<think>\` trace followed by the answer tags.`,
    '',
    '## Architecture',
    '',
    `Decoder-only, pre-norm, causal attention over [image patches][prompt][response], GELU (tanh) MLP, learned positions.`,
    '',
    '| field | value |',
    '|---|---|',
    ...Object.entries(c).map(([k, v]) => `| ${k} | ${Array.isArray(v) ? v.join(', ') : String(v)} |`),
    `| parameters | ${parameterCount(c).toLocaleString('en-US')} |`,
    `| tokenizer | word level + character fallback, ${tokenizer.vocabSize} tokens |`,
    '',
    '## Files',
    '',
    '| file | size |',
    '|---|---|',
    ...[...sizes].map(([name, bytes]) => `| ${name} | ${human(bytes)} |`),
    '',
    `ONNX format \`${FORMAT_VERSION}\` (opset 17; the 4-bit file uses com.microsoft MatMulNBits, block 32, symmetric). Inputs`,
    '`patches` [batch, num_patches, patch_dim], `input_ids` [batch, seq] int64, `past_key_values.N.key/value`',
    '[batch, n_head, past, head_size]; outputs `logits` [batch, seq, vocab] at text positions and `present.N.key/value`.',
    '',
  ];
  if (info.trainingCommand || info.steps !== undefined || info.wallTime) {
    lines.push('## Training', '');
    if (info.trainingCommand) lines.push('```', info.trainingCommand, '```', '');
    if (info.steps !== undefined) lines.push(`- steps: ${info.steps}`);
    if (info.wallTime) lines.push(`- wall time: ${info.wallTime}`);
    lines.push('');
  }
  if (info.metrics && Object.keys(info.metrics).length > 0) {
    lines.push('## Held-out evaluation', '', '| metric | value |', '|---|---|');
    for (const [k, v] of Object.entries(info.metrics)) lines.push(`| ${k} | ${typeof v === 'number' ? +v.toFixed(4) : v} |`);
    lines.push('');
  }
  if (info.notes) lines.push(info.notes, '');
  return lines.join('\n');
}
