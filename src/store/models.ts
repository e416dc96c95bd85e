/**
 * Which policy Watch mode shows: the embedded nano model (loaded in a worker), a bot, or a model behind an
 * OpenAI-compatible server. Loading is asynchronous and can fail (no model files, corrupt ONNX, worker
 * crash, bad server settings): the state says which, and the bots stay available so the page is never
 * empty.
 *
 * The server's API key is held in this store's closure, not in its state (nothing that reads or
 * serialises state can carry it), and is written to storage only when the user ticks "remember".
 */
import { createStore } from 'zustand/vanilla';
import { BotPolicy, botGames } from '../policy/bots';
import { ALL_BOT_NAMES as BOT_NAMES, gameOf, isGameId, type GameId } from '../games/registry';
import { listModels, normalizeBaseURL } from '../policy/endpoint';
import { OpenAIPolicy } from '../policy/openai';
import type { Policy } from '../policy/types';
import { localTarget, policyKind, tryParsePolicySpec } from '../policy/spec';
import { WorkerNanoPolicy } from '../workers/nanoClient';
import type { NanoModelBytes } from '../workers/protocol';
import { WorkerLocalVlmPolicy } from '../workers/localVlmClient';
import type { VlmInfo } from '../runtime/transformers';
import { DEFAULT_LOCAL_SETTINGS, isVlmEntry, localSource, PICKED_CHOICE, type LocalVlmSettings, type PickedFolder } from './localVlm';
import { DEFAULT_MODEL } from '../model/files';
import { runtimeLoadOptions, type RuntimeChoice } from '../runtime/choice';

export { DEFAULT_MODEL } from '../model/files';

/** `local:NAME` is a transformers.js folder served under /models/; 'local-picked' a folder picked in this tab. */
export type PolicyChoice = `nano:${string}` | `bot:${string}` | 'openai' | `local:${string}` | typeof PICKED_CHOICE;

/** The OpenAI-compatible server the 'openai' choice plays through (the key is kept apart, see header). */
export interface EndpointConfig {
  baseURL: string;
  model: string;
  /** Sampling temperature (0 = greedy). */
  temperature: number;
  maxTokens: number;
  /** Keep the key in this browser's storage (else it lives in this tab's memory only). */
  remember: boolean;
  /** Whether a key is set (the key itself is not state). */
  hasKey: boolean;
}

export interface EndpointCheck {
  status: 'idle' | 'checking' | 'ok' | 'error';
  /** Models the server lists (after a successful check). */
  models: string[];
  message: string | null;
}

/** What the form hands over: the settings and, when typed, the key. */
export type EndpointInput = Omit<EndpointConfig, 'hasKey'> & { apiKey: string };

export const DEFAULT_ENDPOINT: EndpointConfig = {
  baseURL: 'http://127.0.0.1:8000/v1',
  model: '',
  temperature: 0,
  maxTokens: 2048,
  remember: false,
  hasKey: false,
};
/** localStorage key: base URL, model and sampling always; the API key only when `remember` is ticked. */
export const ENDPOINT_STORAGE_KEY = 'vigal.endpoint';

/** The subset of the Web Storage API the store uses (tests pass a Map-backed one). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ModelsState {
  /** Model folders found under /models/. */
  available: string[];
  /** transformers.js VLM folders found under /models/ (SmolVLM, Qwen2-VL exports). */
  localAvailable: string[];
  /** Local VLM settings, and what the loaded one offers (dtypes per module) once loaded. */
  local: LocalVlmSettings;
  localInfo: VlmInfo | null;
  /** The name of the folder picked in this tab, if any. */
  pickedName: string | null;
  choice: PolicyChoice;
  /**
   * 'auto' runs WebGPU on a real GPU and WASM otherwise (no adapter, or a software one such as SwiftShader,
   * far slower than WASM); 'wasm' skips WebGPU; 'webgpu' uses any WebGPU adapter, software included.
   */
  runtime: RuntimeChoice;
  policy: Policy | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** One line saying what runs where: model, file (dtype) and backend, e.g. "vigal-nano-snake-rl · fp32 · WASM". */
  backend: string | null;
  /** Why WebGPU is not used, when it is not. */
  fallbackReason: string | null;
  endpoint: EndpointConfig;
  endpointCheck: EndpointCheck;

  refresh(): Promise<void>;
  choose(choice: PolicyChoice): Promise<void>;
  setRuntime(runtime: RuntimeChoice): Promise<void>;
  /** Plays through this server from now on (checks the settings, not the connection). */
  connectEndpoint(input: EndpointInput): Promise<void>;
  /** Lists the server's models (GET /v1/models) into `endpointCheck`. */
  testEndpoint(input: EndpointInput): Promise<void>;
  /** Changes the local VLM settings and reloads it when one is playing. */
  setLocalSettings(settings: Partial<LocalVlmSettings>): Promise<void>;
  /** Plays the model folder picked in a directory picker. */
  pickLocalFolder(folder: PickedFolder): Promise<void>;
  /** Plays a nano model held in memory (a checkpoint the Train view saved), as the choice `nano:NAME`. */
  playModelBytes(name: string, bytes: NanoModelBytes): Promise<void>;
  /** Names of the in-memory nano models of this tab. */
  memoryModels: string[];
  /** The games each nano model was trained for (its config.json's `games`), by folder or memory name. */
  modelGames: Record<string, readonly GameId[]>;
}

/**
 * The games a choice can play, or null where that is not known before it loads (a server or a local VLM
 * plays both; a nano model whose config could not be read is tried, and its load says what is wrong).
 */
export function choiceGames(choice: PolicyChoice, s: Pick<ModelsState, 'modelGames'>): readonly GameId[] | null {
  const spec = tryParsePolicySpec(choice);
  if (spec?.kind === 'bot') return botGames(spec.bot);
  if (spec?.kind === 'nano' && spec.model !== null) return s.modelGames[spec.model] ?? null;
  return null;
}

/** Why a choice cannot play the game ("trained for Snake only"), or null when it can (or may). */
export function unplayableReason(choice: PolicyChoice, game: GameId, s: Pick<ModelsState, 'modelGames'>): string | null {
  const games = choiceGames(choice, s);
  if (!games || games.includes(game)) return null;
  const only = games.map((g) => gameOf(g).title).join(' and ');
  return policyKind(choice) === 'bot' ? `plays ${only} only` : `trained for ${only} only`;
}

export interface PlayerOption {
  value: PolicyChoice;
  label: string;
}

/** Whether a menu value is a nano model or a bot (what can continue a saved episode's branch). */
function isModelOrBot(choice: string): boolean {
  const kind = policyKind(choice);
  return kind === 'nano' || kind === 'bot';
}

/** Watch mode's Player menu for a game: what can play it, and (apart) what cannot, with the reason. */
export function playerOptions(
  s: Pick<ModelsState, 'available' | 'localAvailable' | 'memoryModels' | 'modelGames' | 'choice'>,
  game: GameId,
): { playable: PlayerOption[]; missing: { label: string; reason: string }[] } {
  // The current choice is offered even when no list names it (a model from the URL, a checkpoint's link).
  const current = tryParsePolicySpec(s.choice);
  const named = (names: string[], currentName: string | null) => Array.from(new Set([...names, currentName ?? ''].filter(Boolean)));
  const all: PlayerOption[] = [
    ...named(s.available, current?.kind === 'nano' ? current.model : null)
      .filter((m) => !s.memoryModels.includes(m))
      .map((m) => ({ value: `nano:${m}` as PolicyChoice, label: `nano model: ${m}` })),
    ...s.memoryModels.map((m) => ({ value: `nano:${m}` as PolicyChoice, label: `saved checkpoint: ${m}` })),
    ...BOT_NAMES.map((b) => ({ value: `bot:${b}` as PolicyChoice, label: `${b} bot` })),
    { value: 'openai', label: 'OpenAI-compatible server…' },
    ...named(s.localAvailable, current?.kind === 'local' ? localTarget(current) : null).map((m) => ({
      value: `local:${m}` as PolicyChoice,
      label: `local VLM: ${m}`,
    })),
    { value: PICKED_CHOICE, label: 'Local VLM folder on this computer…' },
  ];
  const playable: PlayerOption[] = [];
  const missing: { label: string; reason: string }[] = [];
  for (const o of all) {
    const reason = unplayableReason(o.value, game, s);
    if (reason) missing.push({ label: o.label, reason });
    else playable.push(o);
  }
  return { playable, missing };
}

/**
 * Who continues a branch of an episode by default: the episode's own player (its policy id: nano:NAME,
 * bot:NAME, openai:MODEL@URL) when it is still here, else the first that can play the game.
 */
export function branchChoiceFor(
  policyId: string,
  game: GameId,
  s: Pick<ModelsState, 'available' | 'localAvailable' | 'memoryModels' | 'modelGames' | 'choice' | 'endpoint'>,
): PolicyChoice | null {
  const { playable } = playerOptions(s, game);
  const has = (c: string) => playable.some((o) => o.value === c);
  const spec = tryParsePolicySpec(policyId);
  if ((spec?.kind === 'nano' || spec?.kind === 'bot') && has(policyId)) return policyId as PolicyChoice;
  if (spec?.kind === 'openai' && s.endpoint.model && spec.model === s.endpoint.model) return 'openai';
  return playable.find((o) => isModelOrBot(o.value))?.value ?? null;
}

/** The config.json `games` of a model, or null when it cannot be read (the model's load then explains). */
function configGames(text: string): GameId[] | null {
  try {
    const games = (JSON.parse(text) as { games?: unknown }).games;
    return Array.isArray(games) && games.every(isGameId) ? (games as GameId[]) : null;
  } catch {
    return null;
  }
}

export interface ModelsStoreOptions {
  /** Where endpoint settings persist (default: localStorage when there is one). */
  storage?: KeyValueStorage | null;
  /**
   * A checkpoint saved in this browser by that name (the Train store's `savedModel`), looked up before
   * /models/: a Watch link to a saved checkpoint then plays after a reload instead of fetching a folder
   * the server never had.
   */
  savedModel?: (name: string) => Promise<NanoModelBytes | undefined>;
}

export function createModelsStore(base = '/models/', opts: ModelsStoreOptions = {}) {
  let generation = 0;
  const storage = opts.storage !== undefined ? opts.storage : defaultStorage();
  const saved = loadEndpoint(storage);
  // The key: memory only (this closure), unless remembered.
  let apiKey = saved.apiKey;
  const keyOf = (input: EndpointInput): string => (input.apiKey.trim() !== '' ? input.apiKey.trim() : apiKey);

  const makeEndpointPolicy = (config: EndpointConfig, key: string): OpenAIPolicy =>
    new OpenAIPolicy({ baseURL: config.baseURL, model: config.model, apiKey: key || undefined, temperature: config.temperature, maxTokens: config.maxTokens });

  // The picked folder's files: in this closure, not in state (they can be gigabytes of blobs).
  let picked: PickedFolder | null = null;
  // In-memory nano models (Train view checkpoints): bytes in this closure, names in state.
  const memory = new Map<string, NanoModelBytes>();

  return createStore<ModelsState>()((set, get) => ({
    available: [],
    localAvailable: [],
    local: DEFAULT_LOCAL_SETTINGS,
    localInfo: null,
    pickedName: null,
    memoryModels: [],
    modelGames: {},
    choice: `nano:${DEFAULT_MODEL}`,
    runtime: 'auto',
    policy: null,
    status: 'idle',
    error: null,
    backend: null,
    fallbackReason: null,
    endpoint: saved.config,
    endpointCheck: { status: 'idle', models: [], message: null },

    async refresh() {
      try {
        const res = await fetch(`${base}index.json`);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const list = (await res.json()) as { name: string; files?: string[] }[];
        const nanos = list.filter((m) => !isVlmEntry(m)).map((m) => m.name);
        // Each model's config says which games it was trained for (a few hundred bytes each).
        const games = await Promise.all(
          nanos.map(async (name) => {
            const r = await fetch(`${base}${name}/config.json`).catch(() => null);
            return [name, r?.ok ? configGames(await r.text()) : null] as const;
          }),
        );
        const modelGames = { ...get().modelGames };
        for (const [name, g] of games) if (g) modelGames[name] = g;
        set({ available: nanos, localAvailable: list.filter(isVlmEntry).map((m) => m.name), modelGames });
      } catch {
        set({ available: [], localAvailable: [] });
      }
    },

    async choose(choice) {
      const mine = ++generation;
      get().policy?.dispose?.();
      set({ choice, policy: null, error: null, backend: null, fallbackReason: null });
      const spec = tryParsePolicySpec(choice);
      if (spec === null || spec.kind === 'human') {
        set({
          status: 'error',
          error: `unknown player '${choice}'; valid: nano:NAME, bot:NAME (${BOT_NAMES.join(', ')}), openai, local:NAME, ${PICKED_CHOICE}`,
        });
        return;
      }
      if (spec.kind === 'bot') {
        set({ policy: new BotPolicy(spec.bot, 1), status: 'ready', backend: 'rule-based bot (no model)' });
        return;
      }
      if (spec.kind === 'openai') {
        // Plays at once when the server is known (this tab, or remembered); otherwise the form asks.
        const config = get().endpoint;
        if (!config.model) return set({ status: 'idle' });
        try {
          set({ policy: makeEndpointPolicy(config, apiKey), status: 'ready', backend: endpointBackend(config) });
        } catch (e) {
          set({ status: 'error', error: (e as Error).message });
        }
        return;
      }
      if (spec.kind === 'local' || spec.kind === 'local-picked') {
        if (spec.kind === 'local-picked' && !picked) return set({ status: 'idle' }); // the form asks for a folder
        set({ status: 'loading', localInfo: null });
        try {
          const { device, dtypes, temperature, maxTokens } = get().local;
          const allowSoftwareAdapter = runtimeLoadOptions(get().runtime).allowSoftwareAdapter;
          const policy = await WorkerLocalVlmPolicy.load(localSource(choice, base, picked), {
            device,
            dtypes,
            allowSoftwareAdapter,
            sampling: { temperature, maxNewTokens: maxTokens },
          });
          if (mine !== generation) return policy.dispose();
          set({ policy, status: 'ready', backend: policy.description, fallbackReason: policy.info.fallbackReason, localInfo: policy.info });
        } catch (e) {
          if (mine !== generation) return;
          set({ status: 'error', error: (e as Error).message });
        }
        return;
      }
      const name = spec.model ?? DEFAULT_MODEL;
      set({ status: 'loading' });
      try {
        let inMemory = memory.get(name);
        if (!inMemory && opts.savedModel) {
          inMemory = await opts.savedModel(name);
          if (mine !== generation) return;
          if (inMemory) {
            memory.set(name, inMemory);
            if (!get().memoryModels.includes(name)) set({ memoryModels: [...get().memoryModels, name] });
          }
        }
        const policy = await WorkerNanoPolicy.load(inMemory ? `memory:${name}` : `${base}${name}/`, runtimeLoadOptions(get().runtime), inMemory);
        if (mine !== generation) return policy.dispose();
        const { config, quant, provider } = policy.loaded;
        set({
          policy,
          status: 'ready',
          backend: `${config.name} · ${quant} · ${provider === 'webgpu' ? 'WebGPU' : 'WASM'}`,
          fallbackReason: policy.loaded.fallbackReason,
        });
      } catch (e) {
        if (mine !== generation) return;
        set({ status: 'error', error: (e as Error).message });
      }
    },

    async setRuntime(runtime) {
      if (runtime === get().runtime) return;
      set({ runtime });
      const choice = get().choice;
      const kind = policyKind(choice);
      if (kind === 'nano' || kind === 'local' || kind === 'local-picked') await get().choose(choice);
    },

    async setLocalSettings(settings) {
      set({ local: { ...get().local, ...settings } });
      const choice = get().choice;
      const kind = policyKind(choice);
      if (kind === 'local' || kind === 'local-picked') await get().choose(choice);
    },

    async pickLocalFolder(folder) {
      picked = folder;
      set({ pickedName: folder.name });
      await get().choose(PICKED_CHOICE);
    },

    async playModelBytes(name, bytes) {
      memory.set(name, bytes);
      const games = configGames(bytes.config);
      if (games) set({ modelGames: { ...get().modelGames, [name]: games } });
      if (!get().memoryModels.includes(name)) set({ memoryModels: [...get().memoryModels, name] });
      await get().choose(`nano:${name}`);
    },

    async connectEndpoint(input) {
      let config: EndpointConfig;
      let policy: OpenAIPolicy;
      const key = keyOf(input);
      try {
        const { apiKey: _typed, ...settings } = input; // the key never enters state
        config = { ...settings, baseURL: normalizeBaseURL(input.baseURL), model: input.model.trim(), hasKey: key !== '' };
        if (!config.model) throw new Error('Give the model name the server serves (Test connection lists them).');
        policy = makeEndpointPolicy(config, key);
      } catch (e) {
        set({ endpointCheck: { status: 'error', models: get().endpointCheck.models, message: (e as Error).message } });
        return;
      }
      ++generation;
      get().policy?.dispose?.();
      apiKey = key;
      saveEndpoint(storage, config, key);
      set({ endpoint: config, choice: 'openai', policy, status: 'ready', error: null, backend: endpointBackend(config), fallbackReason: null });
    },

    async testEndpoint(input) {
      set({ endpointCheck: { status: 'checking', models: [], message: null } });
      try {
        const models = await listModels({ baseURL: input.baseURL, apiKey: keyOf(input) || undefined }, { retries: 0, timeoutMs: 10_000 });
        const model = input.model.trim();
        const note = model && !models.includes(model) ? ` The model '${model}' is not among them.` : '';
        set({
          endpointCheck: {
            status: 'ok',
            models,
            message: `Connected: ${models.length} model${models.length === 1 ? '' : 's'} (${models.join(', ') || 'none listed'}).${note}`,
          },
        });
      } catch (e) {
        set({ endpointCheck: { status: 'error', models: [], message: (e as Error).message } });
      }
    },
  }));
}

function endpointBackend(config: EndpointConfig): string {
  return `${config.model} · ${new URL(config.baseURL).host} · OpenAI API`;
}

function defaultStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null; // storage disabled (privacy settings): settings then last for the tab only
  }
}

function loadEndpoint(storage: KeyValueStorage | null): { config: EndpointConfig; apiKey: string } {
  try {
    const raw = storage?.getItem(ENDPOINT_STORAGE_KEY);
    if (!raw) return { config: DEFAULT_ENDPOINT, apiKey: '' };
    const v = JSON.parse(raw) as Partial<EndpointConfig> & { apiKey?: unknown };
    const apiKey = v.remember === true && typeof v.apiKey === 'string' ? v.apiKey : '';
    const config: EndpointConfig = {
      baseURL: typeof v.baseURL === 'string' ? v.baseURL : DEFAULT_ENDPOINT.baseURL,
      model: typeof v.model === 'string' ? v.model : '',
      temperature: typeof v.temperature === 'number' ? v.temperature : DEFAULT_ENDPOINT.temperature,
      maxTokens: typeof v.maxTokens === 'number' ? v.maxTokens : DEFAULT_ENDPOINT.maxTokens,
      remember: v.remember === true,
      hasKey: apiKey !== '',
    };
    return { config, apiKey };
  } catch {
    return { config: DEFAULT_ENDPOINT, apiKey: '' };
  }
}

function saveEndpoint(storage: KeyValueStorage | null, config: EndpointConfig, apiKey: string): void {
  const { hasKey: _hasKey, ...settings } = config;
  try {
    storage?.setItem(ENDPOINT_STORAGE_KEY, JSON.stringify({ ...settings, ...(config.remember && apiKey ? { apiKey } : {}) }));
  } catch {
    // full or disabled storage: the settings still hold for this tab
  }
}

export type ModelsStore = ReturnType<typeof createModelsStore>;
