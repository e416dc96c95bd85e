/** The models store's OpenAI-compatible server choice: settings, the key's whereabouts, the connection test. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIPolicy } from '../policy/openai';
import { FAULT_MODELS, startFaultServer, type FaultServer } from '../server/faultServer';
import { ENDPOINT_STORAGE_KEY, createModelsStore, type EndpointInput, type KeyValueStorage } from './models';

let fault: FaultServer;
beforeAll(async () => {
  fault = await startFaultServer();
});
afterAll(async () => {
  await fault.close();
});

const KEY = 'sk-store-secret-42';

function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const input = (over: Partial<EndpointInput> = {}): EndpointInput => ({
  baseURL: fault.baseURL('ok'),
  model: 'canned',
  apiKey: KEY,
  remember: false,
  temperature: 0,
  maxTokens: 256,
  ...over,
});

describe('models store: OpenAI-compatible server', () => {
  it('connects: an OpenAI policy, the key in memory only (not in state, not in storage)', async () => {
    const storage = memoryStorage();
    const store = createModelsStore('/models/', { storage });
    await store.getState().connectEndpoint(input({ baseURL: `${fault.baseURL('ok')}/` }));
    const s = store.getState();
    expect(s.choice).toBe('openai');
    expect(s.status).toBe('ready');
    expect(s.policy).toBeInstanceOf(OpenAIPolicy);
    expect(s.backend).toBe(`canned · ${new URL(fault.origin).host} · OpenAI API`);
    expect(s.endpoint).toMatchObject({ baseURL: fault.baseURL('ok'), hasKey: true }); // trailing slash dropped
    expect(JSON.stringify(s)).not.toContain(KEY);
    expect(storage.map.get(ENDPOINT_STORAGE_KEY)).not.toContain(KEY);
    // The key is used: a step goes through with it.
    const policy = s.policy as OpenAIPolicy;
    const before = fault.authHeaders.length;
    await policy.act(
      policy.observe({
        game: 'snake',
        state: { width: 10, height: 10, apples: [[3, 4]], you: 1, round: 0, snakes: [{ id: 1, body: [[5, 5]], lastMove: null, alive: true, score: 0 }] },
      }),
    );
    expect(fault.authHeaders.slice(before)).toEqual([`Bearer ${KEY}`]);
  });

  it('remembers the key only when asked, and a new page picks the server up again', async () => {
    const storage = memoryStorage();
    await createModelsStore('/models/', { storage })
      .getState()
      .connectEndpoint(input({ remember: true }));
    expect(storage.map.get(ENDPOINT_STORAGE_KEY)).toContain(KEY);
    const next = createModelsStore('/models/', { storage });
    expect(next.getState().endpoint).toMatchObject({ model: 'canned', remember: true, hasKey: true });
    await next.getState().choose('openai');
    expect(next.getState().status).toBe('ready');
    // Unticking forgets it.
    await next.getState().connectEndpoint(input({ remember: false, apiKey: '' }));
    expect(storage.map.get(ENDPOINT_STORAGE_KEY)).not.toContain(KEY);
    expect(next.getState().endpoint.hasKey).toBe(true); // still in this tab's memory
  });

  it('choosing the server with no settings yet waits for the form', async () => {
    const store = createModelsStore('/models/', { storage: memoryStorage() });
    await store.getState().choose('openai');
    expect(store.getState()).toMatchObject({ choice: 'openai', status: 'idle', policy: null });
  });

  it('Test connection lists the models, or says what is wrong', async () => {
    const store = createModelsStore('/models/', { storage: memoryStorage() });
    await store.getState().testEndpoint(input({ model: 'ViGaL-7B' }));
    expect(store.getState().endpointCheck).toMatchObject({ status: 'ok', models: FAULT_MODELS });
    expect(store.getState().endpointCheck.message).toMatch(/Connected: 2 models \(canned, other-model\)\. The model 'ViGaL-7B' is not among them\./);
    await store.getState().testEndpoint(input({ baseURL: fault.baseURL('401') }));
    expect(store.getState().endpointCheck.status).toBe('error');
    expect(store.getState().endpointCheck.message).toMatch(/HTTP 401/);
    expect(store.getState().endpointCheck.message).not.toContain(KEY);
  });

  it('bad settings are explained and change nothing', async () => {
    const store = createModelsStore('/models/', { storage: memoryStorage() });
    await store.getState().connectEndpoint(input({ baseURL: 'localhost:8000' }));
    expect(store.getState().endpointCheck.message).toMatch(/must start with http:\/\/ or https:\/\//);
    await store.getState().connectEndpoint(input({ model: ' ' }));
    expect(store.getState().endpointCheck.message).toMatch(/Give the model name/);
    expect(store.getState().policy).toBeNull();
  });
});
