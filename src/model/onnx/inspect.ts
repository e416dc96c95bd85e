/**
 * Reads a nano ONNX file's header without running it: the config it was built with, its quantisation,
 * and a structural check of its inputs, outputs and weights. The runtime calls this before creating a
 * session, so a corrupt, truncated or mismatched file fails with a sentence that names the file and the
 * fix instead of an ORT error code.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProto_DataType, type ModelProto } from 'onnx-buf';
import { validateConfig, type ModelConfig } from '../config';
import { ModelFileError } from '../files';
import { FORMAT_VERSION, META_CHECKSUM, META_CONFIG, META_FORMAT, META_QUANT, QUANTS, pastKeyName, presentKeyName, weightsChecksum, type Quant } from './nano';

export interface NanoOnnxInfo {
  /** The name errors use for the file. */
  file: string;
  config: ModelConfig;
  quant: Quant;
  bytes: number;
}

/** Config fields that change the graph; the others (name, games, inputMode) may differ between files. */
export const ARCHITECTURE_FIELDS = [
  'imageSize',
  'patchSize',
  'maxImages',
  'vocabSize',
  'dModel',
  'nLayer',
  'nHead',
  'dFF',
  'maxSeqLen',
  'lnEps',
] as const satisfies readonly (keyof ModelConfig)[];

export function inspectNanoOnnx(bytes: Uint8Array, file = 'model.onnx'): NanoOnnxInfo {
  if (bytes.length === 0) throw new ModelFileError(`${file} is empty (0 bytes): re-export the model`);
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new ModelFileError(
      `${file} is not a readable ONNX file (${bytes.length} bytes; truncated or corrupt?): ${(e as Error).message}. ` +
        'Re-download or re-export it (vigal export-model).',
    );
  }
  const graph = model.graph;
  if (!graph || graph.node.length === 0) {
    throw new ModelFileError(`${file} has no graph: not an ONNX model, or truncated before its graph. Re-export it.`);
  }
  const meta = new Map(model.metadataProps.map((p) => [p.key, p.value]));
  const format = meta.get(META_FORMAT);
  if (format !== FORMAT_VERSION) {
    throw new ModelFileError(
      `${file} is not a nano model of format '${FORMAT_VERSION}' (its ${META_FORMAT} metadata is ${JSON.stringify(format ?? null)}); ` +
        'export it with this version of vigal.',
    );
  }
  let config: ModelConfig;
  try {
    config = validateConfig(JSON.parse(meta.get(META_CONFIG) ?? 'null'));
  } catch (e) {
    throw new ModelFileError(`${file}: its embedded config (${META_CONFIG} metadata) is unreadable: ${(e as Error).message}`);
  }
  const quant = meta.get(META_QUANT) as Quant;
  if (!QUANTS.includes(quant)) throw new ModelFileError(`${file}: unknown quantisation ${JSON.stringify(quant)} (valid: ${QUANTS.join(', ')})`);

  // Structure: the inputs and outputs the runtime will feed and read.
  const inputs = new Set(graph.input.map((v) => v.name));
  const outputs = new Set(graph.output.map((v) => v.name));
  const need = ['patches', 'input_ids', pastKeyName(config.nLayer - 1)];
  const missing = need.filter((n) => !inputs.has(n));
  if (missing.length > 0 || !outputs.has('logits') || !outputs.has(presentKeyName(config.nLayer - 1))) {
    throw new ModelFileError(
      `${file}: inputs/outputs do not match its config (nLayer=${config.nLayer}); missing ${[...missing, ...(outputs.has('logits') ? [] : ['logits'])].join(', ') || 'present.* outputs'}`,
    );
  }
  // Weights: each initializer's bytes must fill its shape (a file cut inside a tensor can still parse).
  const sizes: Partial<Record<TensorProto_DataType, number>> = {
    [TensorProto_DataType.FLOAT]: 4,
    [TensorProto_DataType.INT64]: 8,
    [TensorProto_DataType.UINT8]: 1,
  };
  for (const t of graph.initializer) {
    const count = t.dims.reduce((a, b) => a * Number(b), 1);
    const size = sizes[t.dataType as TensorProto_DataType];
    if (size !== undefined && t.rawData.length !== count * size) {
      throw new ModelFileError(
        `${file}: weight ${t.name} has ${t.rawData.length} bytes, its shape needs ${count * size} (truncated or corrupt). Re-export it.`,
      );
    }
  }
  const expected = meta.get(META_CHECKSUM);
  const actual = weightsChecksum(graph.initializer.map((t) => t.rawData));
  if (expected !== undefined && expected !== actual) {
    throw new ModelFileError(`${file}: its weights are corrupt (checksum ${actual}, written as ${expected}). Re-download or re-export it.`);
  }
  const vocab = graph.output.find((v) => v.name === 'logits');
  const dims = vocab?.type?.value.case === 'tensorType' ? vocab.type.value.value.shape?.dim : undefined;
  const last = dims?.[dims.length - 1]?.value;
  if (last?.case === 'dimValue' && Number(last.value) !== config.vocabSize) {
    throw new ModelFileError(
      `${file}: logits have ${last.value} entries but its config says vocabSize=${config.vocabSize}; the file is inconsistent, re-export it`,
    );
  }
  return { file, config, quant, bytes: bytes.length };
}

/** Differences in architecture between two configs, as 'field: a vs b' strings (empty when they agree). */
export function configDifferences(a: ModelConfig, b: ModelConfig): string[] {
  return ARCHITECTURE_FIELDS.filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} vs ${b[k]}`);
}
