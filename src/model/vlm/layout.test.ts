import { describe, expect, it } from 'vitest';
import { chooseDtypes, inspectVlmFolder, onnxFile, parseDtypeSpec, VLM_MODULES } from './layout';

const SMOL = { model_type: 'idefics3', architectures: ['Idefics3ForConditionalGeneration'] };
const SMOL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json', 'processor_config.json'];
/** A SmolVLM export as onnx-community publishes it: every module in fp32, fp16, q4 and q4f16. */
const fullOnnx = VLM_MODULES.flatMap((m) => (['fp32', 'fp16', 'q4', 'q4f16'] as const).map((d) => onnxFile(m, d)));

describe('inspectVlmFolder', () => {
  it('reads a complete SmolVLM folder and lists the dtypes per module', () => {
    const f = inspectVlmFolder([...SMOL_FILES, ...fullOnnx], SMOL);
    expect(f.family.name).toBe('SmolVLM (Idefics3)');
    expect(f.dtypes.decoder_model_merged).toEqual(['fp32', 'fp16', 'q4', 'q4f16']);
    expect(f.externalData).toBe(false);
  });

  it('accepts Qwen2-VL without processor_config.json, and external data flags', () => {
    const f = inspectVlmFolder(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json', ...fullOnnx], {
      model_type: 'qwen2_vl',
      'transformers.js_config': { use_external_data_format: true },
    });
    expect(f.family.modelTypes).toContain('qwen2_vl');
    expect(f.externalData).toBe(true);
  });

  const BAD: [string, string[], unknown, RegExp][] = [
    ['no config.json', ['tokenizer.json'], null, /has no config.json.*docs\/local-vlm.md/],
    ['config not an object', ['config.json'], 'x', /not a JSON object/],
    [
      'unsupported architecture',
      ['config.json'],
      { model_type: 'bert', architectures: ['BertModel'] },
      /'bert' \(BertModel\) is not supported.*supported: idefics3, smolvlm, qwen2_vl, qwen2_5_vl/,
    ],
    ['missing processor_config', SMOL_FILES.filter((f) => f !== 'processor_config.json').concat(fullOnnx), SMOL, /is missing processor_config.json/],
    [
      'no vision encoder',
      [...SMOL_FILES, 'onnx/embed_tokens.onnx', 'onnx/decoder_model_merged_q4.onnx'],
      SMOL,
      /no ONNX file for vision_encoder: expected e.g. onnx\/vision_encoder.onnx/,
    ],
  ];
  for (const [name, files, config, message] of BAD) {
    it(`explains a bad folder: ${name}`, () => expect(() => inspectVlmFolder(files, config)).toThrow(message));
  }
});

describe('chooseDtypes', () => {
  const folder = inspectVlmFolder(
    [
      ...SMOL_FILES,
      'onnx/vision_encoder.onnx',
      'onnx/vision_encoder_fp16.onnx',
      'onnx/embed_tokens_q4.onnx',
      'onnx/decoder_model_merged.onnx',
      'onnx/decoder_model_merged_q4.onnx',
    ],
    SMOL,
  );

  it('prefers half precision and 4-bit on WebGPU, 4-bit then fp32 on WASM', () => {
    expect(chooseDtypes(folder, 'webgpu')).toEqual({ vision_encoder: 'fp16', embed_tokens: 'q4', decoder_model_merged: 'q4' });
    expect(chooseDtypes(folder, 'wasm')).toEqual({ vision_encoder: 'fp32', embed_tokens: 'q4', decoder_model_merged: 'q4' });
  });

  it('takes a requested dtype per module, and refuses one the folder lacks', () => {
    expect(chooseDtypes(folder, 'wasm', { decoder_model_merged: 'fp32' }).decoder_model_merged).toBe('fp32');
    expect(() => chooseDtypes(folder, 'wasm', { embed_tokens: 'fp16' })).toThrow(
      'embed_tokens has no fp16 file (onnx/embed_tokens_fp16.onnx); this folder has q4',
    );
  });
});

describe('parseDtypeSpec', () => {
  it.each([
    ['', {}],
    ['q4', { vision_encoder: 'q4', embed_tokens: 'q4', decoder_model_merged: 'q4' }],
    ['decoder_model_merged=q4f16, vision_encoder=fp32', { decoder_model_merged: 'q4f16', vision_encoder: 'fp32' }],
  ])('%j', (spec, want) => expect(parseDtypeSpec(spec)).toEqual(want));

  it('names the valid values on a typo', () => {
    expect(() => parseDtypeSpec('q8')).toThrow("unknown dtype 'q8'; valid: fp32, fp16, q4, q4f16");
    expect(() => parseDtypeSpec('decoder=q4')).toThrow("unknown module 'decoder'");
  });
});
