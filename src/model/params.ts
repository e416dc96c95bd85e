/**
 * The nano model's parameters as plain named Float32Arrays (names and shapes from `parameterShapes`).
 * The trainer, the safetensors files and the ONNX writer all pass weights around in this form.
 */
import { parameterShapes, type ModelConfig } from './config';
import { Rng } from '../util/rng';

/** Either form the trainer may hand over. */
export type Params = Map<string, Float32Array> | Record<string, Float32Array>;

export function getParam(params: Params, name: string): Float32Array | undefined {
  return params instanceof Map ? params.get(name) : params[name];
}

/** Every parameter of `config`, checked for presence and size; errors name the tensor. */
export function checkParams(config: ModelConfig, params: Params): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  const problems: string[] = [];
  for (const [name, shape] of parameterShapes(config)) {
    const p = getParam(params, name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!p) problems.push(`${name} is missing (expected [${shape.join(', ')}])`);
    else if (!(p instanceof Float32Array)) problems.push(`${name} is not a Float32Array`);
    else if (p.length !== size) problems.push(`${name} has ${p.length} values, [${shape.join(', ')}] needs ${size}`);
    else out.set(name, p);
  }
  if (problems.length > 0) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new Error(`parameters do not match the config '${config.name}': ${problems.slice(0, 5).join('; ')}${more}`);
  }
  return out;
}

export interface RandomInitOptions {
  /** Standard deviation of weight matrices and embeddings (GPT-2 uses 0.02). */
  std?: number;
  /**
   * Also randomise LayerNorm gains/biases and linear biases (around 1 and 0). Off for training starts;
   * on for parity tests, so that a wrong bias or gain wiring cannot hide behind zeros and ones.
   */
  perturbAll?: boolean;
}

/** A seeded random initialisation (GPT-2 style) for tests and as a training start. */
export function randomParams(config: ModelConfig, seed: number, opts: RandomInitOptions = {}): Map<string, Float32Array> {
  const std = opts.std ?? 0.02;
  const rng = new Rng(seed);
  const gauss = (): number => {
    // Box-Muller; 1 - next() keeps the log argument in (0, 1].
    const u = 1 - rng.next();
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(config)) {
    const t = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const isNormGain = /ln(1|2|_f)\.weight$/.test(name);
    const isBias = name.endsWith('.bias');
    for (let i = 0; i < t.length; i++) {
      if (isNormGain) t[i] = 1 + (opts.perturbAll ? 0.1 * gauss() : 0);
      else if (isBias) t[i] = opts.perturbAll ? 0.1 * gauss() : 0;
      else t[i] = std * gauss();
    }
    out.set(name, t);
  }
  return out;
}

export const parameterCount = (config: ModelConfig): number => parameterShapes(config).reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0);
