/// <reference lib="webworker" />
/**
 * The model worker: loads the nano model (onnxruntime-web, WebGPU with WASM fallback) off the UI thread
 * and answers observations, streaming text back token by token. A thin shell over policy/nano.ts.
 */
import { NanoPolicy } from '../policy/nano';
import { loadNanoModel } from '../runtime/model';
import type { FromModelWorker, ToModelWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let policy: NanoPolicy | null = null;
const running = new Map<number, AbortController>();
const post = (msg: FromModelWorker) => self.postMessage(msg);

self.onmessage = async (event: MessageEvent<ToModelWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'load': {
      try {
        policy?.dispose();
        const model = await loadNanoModel(msg.bytes ?? msg.folderUrl, {
          executionProviders: msg.executionProviders,
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
      return;
    }
    case 'act': {
      const controller = new AbortController();
      running.set(msg.id, controller);
      try {
        if (!policy) throw new Error('no model is loaded in the worker');
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
