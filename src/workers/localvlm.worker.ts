/// <reference lib="webworker" />
/**
 * The local-VLM worker: loads a SmolVLM/Qwen2-VL folder with transformers.js (WebGPU, else WASM) off the
 * UI thread and answers observations, streaming text back as it decodes. A thin shell over
 * policy/localvlm.ts (transformers.js itself is imported lazily by runtime/transformers.ts); the
 * act/cancel half of the protocol is policyChannel.ts.
 */
import { describeVlm, LocalVlmPolicy } from '../policy/localvlm';
import { loadLocalVlm } from '../runtime/transformers';
import type { FromLocalVlmWorker, ToLocalVlmWorker } from './localVlmProtocol';
import { actServer } from './policyChannel';

declare const self: DedicatedWorkerGlobalScope;

let policy: LocalVlmPolicy | null = null;
const post = (msg: FromLocalVlmWorker) => self.postMessage(msg);
const serveAct = actServer(post, () => policy, 'no local VLM is loaded in the worker');

self.onmessage = async (event: MessageEvent<ToLocalVlmWorker>) => {
  const msg = event.data;
  if (msg.type !== 'load') return serveAct(msg);
  try {
    policy?.dispose();
    policy = null;
    const source = msg.source.kind === 'url' ? msg.source : { kind: 'files' as const, name: msg.source.name, files: new Map(msg.source.files) };
    const vlm = await loadLocalVlm({ source, device: msg.device, allowSoftwareAdapter: msg.allowSoftwareAdapter, dtypes: msg.dtypes, wasmUrl: msg.wasmUrl });
    policy = new LocalVlmPolicy(vlm, msg.sampling);
    if (vlm.info.fallbackReason) console.warn(`local VLM: ${vlm.info.fallbackReason}`);
    post({ type: 'loaded', info: vlm.info, description: describeVlm(vlm.info) });
  } catch (e) {
    post({ type: 'load-error', message: (e as Error).message });
  }
};
