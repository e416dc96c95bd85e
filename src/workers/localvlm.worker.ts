/// <reference lib="webworker" />
/**
 * The local-VLM worker: loads a SmolVLM/Qwen2-VL folder with transformers.js (WebGPU, else WASM) off the
 * UI thread and answers observations, streaming text back as it decodes. A thin shell over
 * policy/localvlm.ts; transformers.js itself is imported lazily by runtime/transformers.ts.
 */
import { describeVlm, LocalVlmPolicy } from '../policy/localvlm';
import { loadLocalVlm } from '../runtime/transformers';
import type { FromLocalVlmWorker, ToLocalVlmWorker } from './localVlmProtocol';

declare const self: DedicatedWorkerGlobalScope;

let policy: LocalVlmPolicy | null = null;
const running = new Map<number, AbortController>();
const post = (msg: FromLocalVlmWorker) => self.postMessage(msg);

self.onmessage = async (event: MessageEvent<ToLocalVlmWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'load': {
      try {
        policy?.dispose();
        const source = msg.source.kind === 'url' ? msg.source : { kind: 'files' as const, name: msg.source.name, files: new Map(msg.source.files) };
        const vlm = await loadLocalVlm({ source, device: msg.device, dtypes: msg.dtypes, wasmUrl: msg.wasmUrl });
        policy = new LocalVlmPolicy(vlm, msg.sampling);
        if (vlm.info.fallbackReason) console.warn(`local VLM: ${vlm.info.fallbackReason}`);
        post({ type: 'loaded', info: vlm.info, description: describeVlm(vlm.info) });
      } catch (e) {
        post({ type: 'load-error', message: (e as Error).message });
      }
      return;
    }
    case 'act': {
      const controller = new AbortController();
      running.set(msg.id, controller);
      try {
        if (!policy) throw new Error('no local VLM is loaded in the worker');
        const result = await policy.act(msg.observation, {
          signal: controller.signal,
          streamer: { put: (text) => post({ type: 'token', id: msg.id, text }), end: () => {} },
        });
        post({ type: 'result', id: msg.id, result });
      } catch (e) {
        post({ type: 'error', id: msg.id, message: (e as Error).message, name: (e as Error).name });
      } finally {
        running.delete(msg.id);
      }
      return;
    }
    case 'cancel':
      running.get(msg.id)?.abort();
      return;
  }
};
