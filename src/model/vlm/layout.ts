/**
 * The folder layout of a transformers.js image-text-to-text export (onnx-community/SmolVLM-*,
 * onnx-community/Qwen2-VL-*): which architectures the local-VLM route supports, which files each needs,
 * and which dtypes each ONNX module is available in. Pure: it reads a file list and config.json, so the
 * browser (index.json or a picked directory), the worker and the CLI check a folder the same way, and
 * a bad folder fails before any ONNX is read, with a message that names the missing file.
 * docs/local-vlm.md documents the layouts.
 */

/** The dtypes offered per module, with the file-name suffix transformers.js reads for each. */
export const DTYPE_SUFFIX = { fp32: '', fp16: '_fp16', q4: '_q4', q4f16: '_q4f16' } as const;
export type VlmDtype = keyof typeof DTYPE_SUFFIX;
export const VLM_DTYPES = Object.keys(DTYPE_SUFFIX) as VlmDtype[];

/** The ONNX sessions transformers.js opens for an image-text-to-text model. */
export const VLM_MODULES = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;
export type VlmModule = (typeof VLM_MODULES)[number];

export interface VlmFamily {
  /** What the UI and errors call it. */
  name: string;
  /** config.json model_type values. */
  modelTypes: readonly string[];
  /** Non-ONNX files transformers.js must find (it fails on the first one missing otherwise). */
  requiredFiles: readonly string[];
  /** How the processor is called: SmolVLM and Qwen2-VL both take (text, images). */
  processorArgs: 'text-images';
}

export const VLM_FAMILIES: readonly VlmFamily[] = [
  {
    name: 'SmolVLM (Idefics3)',
    modelTypes: ['idefics3', 'smolvlm'],
    requiredFiles: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json', 'processor_config.json'],
    processorArgs: 'text-images',
  },
  {
    name: 'Qwen2-VL / Qwen2.5-VL',
    modelTypes: ['qwen2_vl', 'qwen2_5_vl'],
    requiredFiles: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json'],
    processorArgs: 'text-images',
  },
];

export const SUPPORTED_MODEL_TYPES = VLM_FAMILIES.flatMap((f) => f.modelTypes);

export interface VlmFolder {
  family: VlmFamily;
  modelType: string;
  /** The dtypes each module has a file for, in VLM_DTYPES order. */
  dtypes: Record<VlmModule, VlmDtype[]>;
  /** Whether config.json asks for external data files (models over 2 GB: `<module><suffix>.onnx_data`). */
  externalData: boolean;
}

/** The file transformers.js reads for a module in a dtype. */
export const onnxFile = (module: VlmModule, dtype: VlmDtype): string => `onnx/${module}${DTYPE_SUFFIX[dtype]}.onnx`;

/**
 * Checks a folder: `files` are paths relative to it ('config.json', 'onnx/embed_tokens_q4.onnx'), `config`
 * its parsed config.json. Throws an Error that says what is missing or unsupported.
 */
export function inspectVlmFolder(files: readonly string[], config: unknown, where = 'the model folder'): VlmFolder {
  const have = new Set(files.map((f) => f.replace(/\\/g, '/').replace(/^\.\//, '')));
  if (!have.has('config.json')) throw new Error(`${where} has no config.json; is it a transformers.js export? See docs/local-vlm.md for the layout.`);
  if (typeof config !== 'object' || config === null) throw new Error(`${where}: config.json is not a JSON object`);
  const c = config as { model_type?: unknown; architectures?: unknown; ['transformers.js_config']?: { use_external_data_format?: unknown } };
  const modelType = typeof c.model_type === 'string' ? c.model_type : '';
  const family = VLM_FAMILIES.find((f) => f.modelTypes.includes(modelType));
  if (!family) {
    const arch = Array.isArray(c.architectures) ? ` (${c.architectures.join(', ')})` : '';
    throw new Error(
      `${where}: model_type '${modelType || '(none)'}'${arch} is not supported by the local VLM player; supported: ${SUPPORTED_MODEL_TYPES.join(', ')} ` +
        `(${VLM_FAMILIES.map((f) => f.name).join('; ')})`,
    );
  }
  const missing = family.requiredFiles.filter((f) => !have.has(f));
  if (missing.length) throw new Error(`${where} (${family.name}) is missing ${missing.join(', ')}; see docs/local-vlm.md for the layout`);
  const dtypes = Object.fromEntries(VLM_MODULES.map((m) => [m, VLM_DTYPES.filter((d) => have.has(onnxFile(m, d)))])) as Record<VlmModule, VlmDtype[]>;
  const none = VLM_MODULES.filter((m) => dtypes[m].length === 0);
  if (none.length) {
    throw new Error(
      `${where} (${family.name}) has no ONNX file for ${none.join(', ')}: expected e.g. ${none.map((m) => onnxFile(m, 'fp32')).join(', ')} ` +
        `(or the ${VLM_DTYPES.filter((d) => d !== 'fp32').join('/')} variants)`,
    );
  }
  return { family, modelType, dtypes, externalData: !!c['transformers.js_config']?.use_external_data_format };
}

/**
 * Picks a dtype per module: the requested one where the folder has it, else the first available in the
 * device's order of preference (WebGPU: half-precision and 4-bit first; WASM/CPU: 4-bit then fp32,
 * since fp16 kernels are slow or missing there).
 */
export function chooseDtypes(
  folder: VlmFolder,
  device: 'webgpu' | 'wasm' | 'cpu',
  requested: Partial<Record<VlmModule, VlmDtype>> = {},
): Record<VlmModule, VlmDtype> {
  const order: VlmDtype[] = device === 'webgpu' ? ['q4f16', 'fp16', 'q4', 'fp32'] : ['q4', 'fp32', 'q4f16', 'fp16'];
  const out = {} as Record<VlmModule, VlmDtype>;
  for (const m of VLM_MODULES) {
    const available = folder.dtypes[m];
    const want = requested[m];
    if (want !== undefined && !VLM_DTYPES.includes(want)) throw new Error(`unknown dtype '${String(want)}' for ${m}; valid: ${VLM_DTYPES.join(', ')}`);
    if (want !== undefined && !available.includes(want)) {
      throw new Error(`${m} has no ${want} file (${onnxFile(m, want)}); this folder has ${available.join(', ')}`);
    }
    out[m] = want ?? (order.find((d) => available.includes(d)) as VlmDtype);
  }
  return out;
}

/** `decoder_model_merged=q4,vision_encoder=fp32` or a single dtype for every module (CLI syntax). */
export function parseDtypeSpec(spec: string): Partial<Record<VlmModule, VlmDtype>> {
  const s = spec.trim();
  if (!s) return {};
  const check = (d: string): VlmDtype => {
    if (!(VLM_DTYPES as string[]).includes(d)) throw new Error(`unknown dtype '${d}'; valid: ${VLM_DTYPES.join(', ')}`);
    return d as VlmDtype;
  };
  if (!s.includes('=')) {
    const d = check(s);
    return Object.fromEntries(VLM_MODULES.map((m) => [m, d]));
  }
  const out: Partial<Record<VlmModule, VlmDtype>> = {};
  for (const part of s.split(',')) {
    const [m = '', d = ''] = part.split('=').map((x) => x.trim());
    if (!(VLM_MODULES as readonly string[]).includes(m)) throw new Error(`unknown module '${m}' in dtype '${spec}'; valid: ${VLM_MODULES.join(', ')}`);
    out[m as VlmModule] = check(d);
  }
  return out;
}
