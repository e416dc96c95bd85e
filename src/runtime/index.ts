/** Running the nano model: sessions (WebGPU with WASM fallback), generation with KV cache, sampling. */
export { loadNanoModel, NanoModel, disposeCache, type LoadOptions, type ModelBytes, type KvCache, type ForwardInputs, type ForwardOutputs } from './model';
export { generate, DEFAULT_STOP_TOKENS, type GenerateOptions, type GenerateResult, type GenerationTimings, type StopReason, type Streamer } from './generate';
export { argmax, chooseToken, softmax, applyTopK, applyTopP, logSoftmaxAt, type SamplingOptions } from './sampling';
export { loadOrt, createSession, EXECUTION_PROVIDERS, type ExecutionProvider, type OrtOptions } from './ort';
export { probeWebGpu, webgpuUnavailableReason, webgpuSkipReason, describeAdapterInfo, type WebGpuProbe } from './adapter';
export { parseRuntimeChoice, runtimeLoadOptions, RUNTIME_CHOICES, RUNTIME_LABELS, type RuntimeChoice } from './choice';
export { greedyAgreement, type AgreementResult, type AgreementPrompt } from './agreement';
export { benchmarkModel, type BenchRow, type BenchOptions } from './bench';
