/**
 * Training checkpoints: one folder, everything needed to use the weights or to resume exactly.
 *
 *   config.json            the ModelConfig (what the ONNX writer and runtime read)
 *   tokenizer.json         the tokenizer (Hugging Face tokenizers format)
 *   model.safetensors      the weights, F32, names from config.parameterShapes; metadata: config JSON
 *   optimizer.safetensors  AdamW moments as `m.<name>` / `v.<name>`; metadata: Adam's t
 *   trainer_state.json     the run: next step, options, optimizer config, data seed, timings, last metrics
 *
 * Resume is exact because nothing else carries state: batches are a pure function of (seed, step) (see
 * data.ts), the schedule a pure function of the step, and the update deterministic on host arrays.
 * Files are written to a temporary name and renamed, so an interrupted save never leaves a torn file
 * beside a good one.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parameterShapes, validateConfig, type ModelConfig } from '../model/config';
import { Tokenizer } from '../model/tokenizer';
import { expectTensor, f32, readSafetensors, writeSafetensors, type SafeTensor } from '../util/safetensors';
import type { HostParams } from './model';
import type { OptimConfig, OptimState } from './optim';

export const CHECKPOINT_FILES = {
  config: 'config.json',
  tokenizer: 'tokenizer.json',
  weights: 'model.safetensors',
  optimizer: 'optimizer.safetensors',
  state: 'trainer_state.json',
} as const;

/** The run's record inside trainer_state.json. `options` is the caller's (the SFT options). */
export interface TrainerState<O = unknown> {
  format: 'vigal-trainer-state';
  version: 1;
  /** The next optimizer step to run (= steps completed). */
  step: number;
  options: O;
  optim: OptimConfig;
  /** Updates the NaN/inf guard skipped so far. */
  skipped: number;
  /** Wall-clock seconds spent training, summed over resumed segments. */
  wallSeconds: number;
  /** Last logged train/eval metrics, for model cards and a quick look. */
  lastTrain?: Record<string, number>;
  lastEval?: Record<string, number>;
  savedAt: string;
}

export interface Checkpoint<O = unknown> {
  config: ModelConfig;
  tokenizer: Tokenizer;
  params: HostParams;
  optimizer: OptimState;
  state: TrainerState<O>;
}

/** Weights only (what export and the runtime need): config.json + model.safetensors (+ tokenizer.json). */
export async function saveWeights(dir: string, config: ModelConfig, params: HostParams, tokenizer?: Tokenizer): Promise<void> {
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, CHECKPOINT_FILES.config), JSON.stringify(config, null, 2) + '\n');
  if (tokenizer) await atomicWrite(join(dir, CHECKPOINT_FILES.tokenizer), tokenizer.toString() + '\n');
  await atomicWrite(join(dir, CHECKPOINT_FILES.weights), weightsBytes(config, params));
}

/** The weights file's bytes: tensors in parameterShapes order, the config in the metadata. */
export function weightsBytes(config: ModelConfig, params: HostParams): Uint8Array {
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, shape] of parameterShapes(config)) {
    const p = params[name];
    if (p === undefined) throw new Error(`saveWeights: parameter '${name}' is missing`);
    tensors[name] = f32(shape, p);
  }
  return writeSafetensors(tensors, { format: 'pt', config: JSON.stringify(config) });
}

export async function saveCheckpoint<O>(dir: string, ck: Checkpoint<O>): Promise<void> {
  await saveWeights(dir, ck.config, ck.params, ck.tokenizer);
  const moments: Record<string, SafeTensor> = {};
  for (const [name, shape] of parameterShapes(ck.config)) {
    const m = ck.optimizer.m[name];
    const v = ck.optimizer.v[name];
    if (m === undefined || v === undefined) throw new Error(`saveCheckpoint: optimizer state for '${name}' is missing`);
    moments[`m.${name}`] = f32(shape, m);
    moments[`v.${name}`] = f32(shape, v);
  }
  await atomicWrite(join(dir, CHECKPOINT_FILES.optimizer), writeSafetensors(moments, { t: String(ck.optimizer.t) }));
  // The state goes last: its presence marks a complete checkpoint.
  await atomicWrite(join(dir, CHECKPOINT_FILES.state), JSON.stringify(ck.state, null, 2) + '\n');
}

/** Reads config.json, tokenizer.json (if present) and the weights; errors name the file and the problem. */
export async function loadWeights(dir: string): Promise<{ config: ModelConfig; params: HostParams; tokenizer: Tokenizer | null }> {
  const configPath = join(dir, CHECKPOINT_FILES.config);
  const config = validateConfig(await readJson(configPath));
  const weightsPath = join(dir, CHECKPOINT_FILES.weights);
  const file = readSafetensors(await readBytes(weightsPath), weightsPath);
  const params: HostParams = {};
  for (const [name, shape] of parameterShapes(config)) params[name] = expectTensor(file, name, 'F32', shape, weightsPath);
  const tokPath = join(dir, CHECKPOINT_FILES.tokenizer);
  let tokenizer: Tokenizer | null = null;
  try {
    tokenizer = Tokenizer.fromJSON(await readFile(tokPath, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${tokPath}: ${(err as Error).message}`);
  }
  // The exported models pad the embedding table (vocabSize 256) beyond the tokenizer's ids; fewer
  // tokens than rows is fine, more would index past the table.
  if (tokenizer && tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`${tokPath} has ${tokenizer.vocabSize} tokens but ${configPath} says vocabSize ${config.vocabSize}`);
  }
  return { config, params, tokenizer };
}

export async function loadCheckpoint<O>(dir: string): Promise<Checkpoint<O>> {
  const statePath = join(dir, CHECKPOINT_FILES.state);
  const state = (await readJson(statePath)) as TrainerState<O>;
  if (typeof state !== 'object' || state === null || state.format !== 'vigal-trainer-state' || state.version !== 1) {
    throw new Error(`${statePath}: not a trainer state (format ${JSON.stringify(state.format)}, version ${JSON.stringify(state.version)})`);
  }
  const { config, params, tokenizer } = await loadWeights(dir);
  if (tokenizer === null) throw new Error(`${join(dir, CHECKPOINT_FILES.tokenizer)} is missing: cannot resume without the run's tokenizer`);
  const optPath = join(dir, CHECKPOINT_FILES.optimizer);
  const file = readSafetensors(await readBytes(optPath), optPath);
  const t = Number(file.metadata['t']);
  if (!Number.isInteger(t) || t < 0) throw new Error(`${optPath}: metadata 't' must be a non-negative integer, got ${JSON.stringify(file.metadata['t'])}`);
  const m: HostParams = {};
  const v: HostParams = {};
  for (const [name, shape] of parameterShapes(config)) {
    m[name] = expectTensor(file, `m.${name}`, 'F32', shape, optPath);
    v[name] = expectTensor(file, `v.${name}`, 'F32', shape, optPath);
  }
  return { config, tokenizer, params, optimizer: { t, m, v }, state };
}

async function atomicWrite(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file is missing' : (err as Error).message}`);
  }
}

async function readJson(path: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(path));
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}): truncated or corrupt?`);
  }
}
