/**
 * The settings of the "OpenAI-compatible server" player (vLLM, SGLang, Ollama, llama.cpp's server,
 * `vigal serve`): base URL, model name, API key, sampling. "Test connection" lists the server's models;
 * "Use this server" hands the settings to the models store, which owns the key from then on. The key
 * field is cleared once handed over, so the key is not left on screen.
 */
import { useState, type FormEvent } from 'react';
import type { EndpointInput, ModelsStore } from '../store/models';
import { useStore } from './useStore';
import { SamplingFields } from './SamplingFields';

export function EndpointForm({ models }: { models: ModelsStore }) {
  const saved = useStore(models, (s) => s.endpoint);
  const check = useStore(models, (s) => s.endpointCheck);
  const [baseURL, setBaseURL] = useState(saved.baseURL);
  const [model, setModel] = useState(saved.model);
  const [apiKey, setApiKey] = useState('');
  const [remember, setRemember] = useState(saved.remember);
  const [temperature, setTemperature] = useState(saved.temperature);
  const [maxTokens, setMaxTokens] = useState(saved.maxTokens);

  const input = (): EndpointInput => ({ baseURL, model, apiKey, remember, temperature, maxTokens });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void models
      .getState()
      .connectEndpoint(input())
      .then(() => setApiKey(''));
  };

  return (
    <form className="endpoint-form" aria-label="OpenAI-compatible server" onSubmit={submit}>
      <div className="form-grid">
        <label className="wide">
          Base URL
          <input
            type="text"
            inputMode="url"
            spellCheck={false}
            value={baseURL}
            onChange={(e) => setBaseURL(e.target.value)}
            placeholder="http://127.0.0.1:8000/v1"
          />
        </label>
        <label>
          Model name
          <input
            type="text"
            spellCheck={false}
            list="endpoint-models"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            placeholder="as the server names it"
          />
          <datalist id="endpoint-models">
            {check.models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </label>
        <label>
          API key
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder={saved.hasKey ? 'set (type to replace)' : 'none'}
          />
        </label>
        <SamplingFields temperature={temperature} maxTokens={maxTokens} onTemperature={setTemperature} onMaxTokens={setMaxTokens} />
        <label className="inline wide">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          Remember the key on this device
        </label>
      </div>
      <div className="controls">
        <button type="button" onClick={() => void models.getState().testEndpoint(input())} disabled={check.status === 'checking'}>
          {check.status === 'checking' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit">Use this server</button>
      </div>
      {check.message && (
        <p className={check.status === 'error' ? 'error' : 'note'} role={check.status === 'error' ? 'alert' : 'status'} data-testid="endpoint-check">
          {check.message}
        </p>
      )}
      <p className="hint">
        The key goes only to this server, in the Authorization header; it stays in this tab's memory unless you tick Remember. The server must allow this page's
        origin (CORS): <code>vigal serve</code> allows local pages.
      </p>
    </form>
  );
}
