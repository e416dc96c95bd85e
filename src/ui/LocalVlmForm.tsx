/**
 * The settings of the "local VLM" player (transformers.js, a SmolVLM or Qwen2-VL export on this
 * computer): the folder (served from models/ or picked here), device, dtype per ONNX module, sampling.
 * Nothing is downloaded: the folder must hold the export (docs/local-vlm.md, scripts/fetch-vlm.ts).
 */
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { VLM_DTYPES, VLM_MODULES, type VlmDtype, type VlmModule } from '../model/vlm/layout';
import { pickedFolder, type LocalVlmSettings } from '../store/localVlm';
import type { ModelsStore } from '../store/models';
import { useStore } from './useStore';
import { SamplingFields } from './SamplingFields';

const MODULE_LABELS: Record<VlmModule, string> = { vision_encoder: 'Vision encoder', embed_tokens: 'Token embeddings', decoder_model_merged: 'Decoder' };

export function LocalVlmForm({ models }: { models: ModelsStore }) {
  const saved = useStore(models, (s) => s.local);
  const info = useStore(models, (s) => s.localInfo);
  const pickedName = useStore(models, (s) => s.pickedName);
  const [device, setDevice] = useState(saved.device);
  const [dtypes, setDtypes] = useState<LocalVlmSettings['dtypes']>(saved.dtypes);
  const [temperature, setTemperature] = useState(saved.temperature);
  const [maxTokens, setMaxTokens] = useState(saved.maxTokens);
  const [pickError, setPickError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void models.getState().setLocalSettings({ device, dtypes, temperature, maxTokens });
  };
  const pick = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    try {
      setPickError(null);
      void models.getState().pickLocalFolder(pickedFolder(files.map((f) => ({ webkitRelativePath: f.webkitRelativePath, name: f.name, blob: f }))));
    } catch (err) {
      setPickError((err as Error).message);
    }
  };
  const setDtype = (m: VlmModule, v: string) => {
    const next = { ...dtypes };
    if (v === 'auto') delete next[m];
    else next[m] = v as VlmDtype;
    setDtypes(next);
  };

  return (
    <form className="endpoint-form" aria-label="Local VLM" onSubmit={submit}>
      <div className="form-grid">
        <label className="wide">
          Model folder on this computer{pickedName ? ` (picked: ${pickedName})` : ''}
          {/* webkitdirectory: the whole folder, with paths (React passes the unknown attribute through). */}
          <input type="file" multiple onChange={pick} {...{ webkitdirectory: '' }} aria-label="Model folder" />
        </label>
        <label>
          Device
          <select aria-label="Device" value={device} onChange={(e) => setDevice(e.target.value as LocalVlmSettings['device'])}>
            <option value="webgpu">WebGPU, else WASM</option>
            <option value="wasm">WASM only</option>
          </select>
        </label>
        {VLM_MODULES.map((m) => (
          <label key={m}>
            {MODULE_LABELS[m]} dtype
            <select aria-label={`${MODULE_LABELS[m]} dtype`} value={dtypes[m] ?? 'auto'} onChange={(e) => setDtype(m, e.target.value)}>
              <option value="auto">auto{info ? ` (${info.dtypes[m]})` : ''}</option>
              {(info?.available[m] ?? VLM_DTYPES).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        ))}
        <SamplingFields temperature={temperature} maxTokens={maxTokens} onTemperature={setTemperature} onMaxTokens={setMaxTokens} />
      </div>
      <div className="controls">
        <button type="submit">Apply and reload</button>
      </div>
      {pickError && (
        <p className="error" role="alert">
          {pickError}
        </p>
      )}
      <p className="hint">
        transformers.js runs the model in this tab from local files only (SmolVLM or Qwen2-VL ONNX exports, laid out as in <code>docs/local-vlm.md</code>;{' '}
        <code>npx tsx scripts/fetch-vlm.ts</code> fetches one). It sees ViGaL's full prompt and images.
      </p>
    </form>
  );
}
