/**
 * Which policy Watch mode shows: the embedded nano model (loaded in a worker) or a bot. Loading is
 * asynchronous and can fail (no model files, corrupt ONNX, worker crash): the state says which, and the
 * bots stay available so the page is never empty.
 */
import { createStore } from 'zustand/vanilla';
import { BOT_NAMES, type SnakeBotName } from '../games/snake';
import { BotPolicy } from '../policy/bots';
import type { Policy } from '../policy/types';
import { WorkerNanoPolicy } from '../workers/nanoClient';
import { DEFAULT_MODEL } from '../model/files';

export { DEFAULT_MODEL } from '../model/files';

export type PolicyChoice = `nano:${string}` | `bot:${SnakeBotName}`;

export interface ModelsState {
  /** Model folders found under /models/. */
  available: string[];
  choice: PolicyChoice;
  /** 'auto' tries WebGPU and falls back to WASM; 'wasm' skips WebGPU (slow or broken GPU drivers). */
  runtime: 'auto' | 'wasm';
  policy: Policy | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** One line saying what runs where, e.g. "vigal-nano-snake-sft · q4 · WebGPU". */
  backend: string | null;
  /** Why WebGPU is not used, when it is not. */
  fallbackReason: string | null;

  refresh(): Promise<void>;
  choose(choice: PolicyChoice): Promise<void>;
  setRuntime(runtime: 'auto' | 'wasm'): Promise<void>;
}

export function createModelsStore(base = '/models/') {
  let generation = 0;
  return createStore<ModelsState>()((set, get) => ({
    available: [],
    choice: `nano:${DEFAULT_MODEL}`,
    runtime: 'auto',
    policy: null,
    status: 'idle',
    error: null,
    backend: null,
    fallbackReason: null,

    async refresh() {
      try {
        const res = await fetch(`${base}index.json`);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const list = (await res.json()) as { name: string }[];
        set({ available: list.map((m) => m.name) });
      } catch {
        set({ available: [] });
      }
    },

    async choose(choice) {
      const mine = ++generation;
      get().policy?.dispose?.();
      set({ choice, policy: null, error: null, backend: null, fallbackReason: null });
      if (choice.startsWith('bot:')) {
        const bot = choice.slice(4) as SnakeBotName;
        if (!(BOT_NAMES as readonly string[]).includes(bot)) {
          set({ status: 'error', error: `unknown bot '${bot}'; valid: ${BOT_NAMES.join(', ')}` });
          return;
        }
        set({ policy: new BotPolicy(bot, 1), status: 'ready', backend: 'rule-based bot (no model)' });
        return;
      }
      const name = choice.slice(5);
      set({ status: 'loading' });
      try {
        const policy = await WorkerNanoPolicy.load(`${base}${name}/`, {
          executionProviders: get().runtime === 'wasm' ? ['wasm'] : ['webgpu', 'wasm'],
        });
        if (mine !== generation) return policy.dispose();
        const { config, quant, provider } = policy.loaded;
        set({ policy, status: 'ready', backend: `${config.name} · ${quant} · ${provider === 'webgpu' ? 'WebGPU' : 'WASM'}`, fallbackReason: policy.loaded.fallbackReason });
      } catch (e) {
        if (mine !== generation) return;
        set({ status: 'error', error: (e as Error).message });
      }
    },

    async setRuntime(runtime) {
      if (runtime === get().runtime) return;
      set({ runtime });
      if (get().choice.startsWith('nano:')) await get().choose(get().choice);
    },
  }));
}

export type ModelsStore = ReturnType<typeof createModelsStore>;
