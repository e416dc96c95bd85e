/// <reference lib="webworker" />
/**
 * The model worker: loads the nano model (onnxruntime-web, WebGPU with WASM fallback) off the UI thread
 * and answers observations, streaming text back token by token. A thin shell over policy/nano.ts; the
 * act/cancel half of the protocol is policyChannel.ts.
 */
import { NanoPolicy } from '../policy/nano';
import { loadNanoModel } from '../runtime/model';
import { actServer } from './policyChannel';
import type { FromModelWorker, ToModelWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let policy: NanoPolicy | null = null;
const post = (msg: FromModelWorker) => self.postMessage(msg);
const serveAct = actServer(post, () => policy, 'no model is loaded in the worker');

self.onmessage = async (event: MessageEvent<ToModelWorker>) => {
  const msg = event.data;
  if (msg.type !== 'load') return serveAct(msg);
  try {
    policy?.dispose();
    policy = null;
    const model = await loadNanoModel(msg.bytes ?? msg.folderUrl, {
      executionProviders: msg.executionProviders,
      allowSoftwareAdapter: msg.allowSoftwareAdapter,
      quant: msg.quant,
      // ORT resolves its .wasm files next to its own module; the bundler emits them as assets.
      log: (line) => console.warn(line),
    });
    policy = new NanoPolicy(model, msg.sampling);
    post({
      type: 'loaded',
      config: model.config,
      provider: model.provider,
      fallbackReason: model.fallbackReason,
      description: model.describe(),
      quant: model.quant,
    });
  } catch (e) {
    post({ type: 'load-error', message: (e as Error).message });
  }
};
