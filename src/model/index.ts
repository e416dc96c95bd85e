/** The nano model: config, tokenizer, patches, parameters, the ONNX writer and the model folder. */
export * from './config';
export * from './files';
export * from './params';
export { patchify, normalizePixel, numPatches, type RgbaImage } from './patchify';
export {
  Tokenizer,
  buildVocabulary,
  defaultTokenizer,
  normalizeText,
  PAD,
  BOS,
  EOS,
  UNK,
  SP,
  NOSP,
  SPECIAL_TOKENS,
  TAG_TOKENS,
  DEFAULT_WORDS,
  type BuildVocabularyOptions,
  type EncodeOptions,
  type DecodeOptions,
  type HfTokenizerJson,
} from './tokenizer';
export {
  buildNanoGraph,
  buildNanoModel,
  isQuantizedMatrix,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
  QUANTS,
  FORMAT_VERSION,
  type Quant,
  type BuildOptions,
} from './onnx/nano';
export { quantizeQ4, dequantizeQ4, type Q4Weight } from './onnx/quant';
export { inspectNanoOnnx, configDifferences, type NanoOnnxInfo } from './onnx/inspect';
export { modelFolderFiles, writeModelFolder, modelCard, paramsToSafetensors, paramsFromSafetensors, type ModelCardInfo, type ModelFolderInput } from './export';
