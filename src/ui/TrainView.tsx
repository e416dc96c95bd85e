/**
 * Train mode: RL (RLOO or GRPO) on the game's verifiable reward, in a worker (jax-js on WebGPU, WASM
 * fallback shown). Settings, Start/Pause/Stop (Space, Escape), live curves, the latest groups with
 * each sample's reward parts and advantage, a token heat map of the selected trace, and checkpoints to
 * save, watch and download.
 */
import { useEffect, useState } from 'react';
import type { ModelsStore } from '../store/models';
import type { TrainStore } from '../store/train';
import type { TrainSettings } from '../workers/trainProtocol';
import { RL_PRESETS } from '../train/rlPresets';
import { keyBelongsToControl } from './keys';
import { GLOSSARY } from './glossary';
import { TrainCharts } from './TrainCharts';
import { TokenHeat, TrainGroups } from './TrainGroups';
import { maxAbsAdvantage } from './trainScale';
import { useStore } from './useStore';
import { answerOnlyGame } from '../train/traces/games';

const DEMO_TEACHES = RL_PRESETS.demo?.teaches ?? '';
const DEMO_EXPECT = RL_PRESETS.demo?.expect ?? '';

const STATUS_TEXT: Record<string, string> = {
  idle: 'Not started',
  loading: 'Loading',
  running: 'Running',
  paused: 'Paused',
  stopped: 'Stopped',
  done: 'Done',
  error: 'Error',
};

function download(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Elapsed({ since }: { since: number | null }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (since === null) return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [since]);
  return since === null ? null : <span className="num">{Math.round((Date.now() - since) / 1000)} s</span>;
}

function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step,
  disabled,
  title,
}: {
  label: string;
  value: number;
  onChange(v: number): void;
  min?: number;
  max?: number;
  step?: number | 'any';
  disabled: boolean;
  title?: string;
}) {
  return (
    <label title={title}>
      {label}
      <input
        type="number"
        value={value}
        min={min}
        max={max}
        step={step ?? 1}
        disabled={disabled}
        onChange={(e) => e.target.value !== '' && Number.isFinite(Number(e.target.value)) && onChange(Number(e.target.value))}
      />
    </label>
  );
}

export function TrainView({ train, models, onWatch }: { train: TrainStore; models: ModelsStore; onWatch(): void }) {
  const settings = useStore(train, (s) => s.settings);
  const status = useStore(train, (s) => s.status);
  const message = useStore(train, (s) => s.message);
  const error = useStore(train, (s) => s.error);
  const backend = useStore(train, (s) => s.backend);
  const metrics = useStore(train, (s) => s.metrics);
  const evals = useStore(train, (s) => s.evals);
  const evaluating = useStore(train, (s) => s.evaluating);
  const scanning = useStore(train, (s) => s.scanning);
  const focus = useStore(train, (s) => s.focus);
  const groups = useStore(train, (s) => s.groups);
  const groupsStep = useStore(train, (s) => s.groupsStep);
  const skipped = useStore(train, (s) => s.skipped);
  const selected = useStore(train, (s) => s.selected);
  const heat = useStore(train, (s) => s.heat);
  const checkpoints = useStore(train, (s) => s.checkpoints);
  const saving = useStore(train, (s) => s.saving);
  const storageError = useStore(train, (s) => s.storageError);
  const stepStartedAt = useStore(train, (s) => s.stepStartedAt);
  const available = useStore(models, (s) => s.available);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    void train.getState().restore();
    if (models.getState().available.length === 0) void models.getState().refresh();
  }, [train, models]);

  const live = status === 'loading' || status === 'running' || status === 'paused';
  const set = (patch: Partial<TrainSettings>) => train.getState().setSettings(patch);
  const canSave = live || status === 'done' || status === 'stopped';

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = train.getState();
      if (e.key === ' ') {
        if (t.status === 'running' || t.status === 'loading') {
          if (t.message === 'pausing after this step') t.resume();
          else t.pause();
        } else if (t.status === 'paused') t.resume();
        else t.start();
      } else if (e.key === 'Escape') t.stop();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [train]);

  const act = async (label: string, f: () => Promise<void>) => {
    setBusy(label);
    try {
      await f();
    } catch (e) {
      train.setState({ error: (e as Error).message });
    } finally {
      setBusy(null);
    }
  };

  const models_ = Array.from(new Set([...available.filter((m) => !m.startsWith('dev-localvlm')), settings.model]));
  const sample = selected ? (groups[selected.group]?.samples[selected.sample] ?? null) : null;
  const lastStep = metrics.at(-1)?.step;

  return (
    <div className="train-layout">
      <section className="panel train-settings" aria-label="Run settings">
        <header className="panel-head">
          <h2>Run</h2>
        </header>
        <div className="form-grid">
          <label>
            Start model
            <select aria-label="Start model" value={settings.model} disabled={live} onChange={(e) => set({ model: e.target.value })}>
              {models_.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <label>
            Game
            <select aria-label="Game to train" value={settings.game} disabled={live} onChange={(e) => set({ game: e.target.value as TrainSettings['game'] })}>
              <option value="snake">Snake</option>
              <option value="rotation">Rotation</option>
            </select>
          </label>
          <label>
            Algorithm
            <select
              aria-label="Algorithm"
              title={GLOSSARY[settings.algo]}
              value={settings.algo}
              disabled={live}
              onChange={(e) => set({ algo: e.target.value as TrainSettings['algo'] })}
            >
              <option value="rloo">RLOO (ViGaL)</option>
              <option value="grpo">GRPO</option>
            </select>
          </label>
          <NumberField label="Group size" value={settings.groupSize} min={2} max={32} disabled={live} onChange={(v) => set({ groupSize: Math.round(v) })} />
          <NumberField label="Learning rate" value={settings.lr} min={0} max={1} step="any" disabled={live} onChange={(v) => set({ lr: v })} />
          <NumberField label="Prompts per step" value={settings.prompts} min={1} max={64} disabled={live} onChange={(v) => set({ prompts: Math.round(v) })} />
          <NumberField label="Steps" value={settings.steps} min={1} max={100000} disabled={live} onChange={(v) => set({ steps: Math.round(v) })} />
          <NumberField
            label="Held-out eval interval (0 = off)"
            value={settings.evalEvery}
            min={0}
            max={100000}
            disabled={live}
            onChange={(v) => set({ evalEvery: Math.max(0, Math.round(v)) })}
          />
          <NumberField
            label="Held-out states"
            title={GLOSSARY.heldout}
            value={settings.evalN}
            min={1}
            max={200}
            disabled={live}
            onChange={(v) => set({ evalN: Math.min(200, Math.max(1, Math.round(v))) })}
          />
          <label
            className="inline check"
            title="ViGaL's no-reasoning ablation: <think></think><best_answer> is forced and only the move is sampled (Snake); reward 1 for a best move."
          >
            <input
              type="checkbox"
              checked={settings.answerOnly}
              disabled={live || !answerOnlyGame(settings.game)}
              onChange={(e) => set({ answerOnly: e.target.checked })}
            />
            Answer only (demo)
          </label>
          <NumberField
            label="Focus scan (0 = off)"
            title="Before step 1 the start model answers this many training prompts greedily; the run then trains mostly on those it gets wrong, where a group's samples disagree and the update can change its answer."
            value={settings.focusScan}
            min={0}
            max={5000}
            disabled={live}
            onChange={(v) => set({ focusScan: Math.min(5000, Math.max(0, Math.round(v))) })}
          />
        </div>
        <details className="advanced">
          <summary>Advanced</summary>
          <div className="form-grid">
            <NumberField
              label="Max new tokens"
              value={settings.maxNewTokens}
              min={1}
              max={512}
              disabled={live}
              onChange={(v) => set({ maxNewTokens: Math.round(v) })}
            />
            <NumberField
              label="Temperature"
              value={settings.temperature}
              min={0.05}
              max={5}
              step="any"
              disabled={live}
              onChange={(v) => set({ temperature: v })}
            />
            <NumberField
              label="KL coefficient"
              title={GLOSSARY.klcoef}
              value={settings.klCoef}
              min={0}
              step="any"
              disabled={live}
              onChange={(v) => set({ klCoef: v })}
            />
            <NumberField label="Seed" value={settings.seed} min={0} disabled={live} onChange={(v) => set({ seed: Math.round(v) >>> 0 })} />
            <label>
              Backend
              <select
                aria-label="Backend"
                value={settings.backend}
                disabled={live}
                onChange={(e) => set({ backend: e.target.value as TrainSettings['backend'] })}
              >
                <option value="auto">WebGPU, else WASM</option>
                <option value="wasm">WASM only</option>
              </select>
            </label>
            <label title="Top: only the last block, the final norm and the output layer change (the demo: a smaller, faster update that can take a larger learning rate).">
              Layers trained
              <select
                aria-label="Layers trained"
                value={settings.trainable}
                disabled={live}
                onChange={(e) => set({ trainable: e.target.value as TrainSettings['trainable'] })}
              >
                <option value="all">All</option>
                <option value="top">Top block + output</option>
              </select>
            </label>
            <label title="Answer only: with four possible answers the update can score all four and weigh each by its probability (exact, the expectation of the sampled update, without its noise), or sample a group of Group size moves per prompt.">
              Answer-only update
              <select
                aria-label="Answer-only update"
                value={settings.answerGradient}
                disabled={live || !settings.answerOnly}
                onChange={(e) => set({ answerGradient: e.target.value as TrainSettings['answerGradient'] })}
              >
                <option value="exact">Exact (all four moves)</option>
                <option value="sampled">Sampled groups</option>
              </select>
            </label>
          </div>
        </details>
        <div className="controls" role="toolbar" aria-label="Training controls">
          <button onClick={() => train.getState().start()} disabled={live} aria-keyshortcuts="Space">
            Start
          </button>
          {status === 'paused' ? (
            <button onClick={() => train.getState().resume()} aria-keyshortcuts="Space">
              Resume
            </button>
          ) : (
            <button onClick={() => train.getState().pause()} disabled={status !== 'running' && status !== 'loading'} aria-keyshortcuts="Space">
              Pause
            </button>
          )}
          <button onClick={() => train.getState().stop()} disabled={!live} aria-keyshortcuts="Escape">
            Stop
          </button>
        </div>
        <dl className="step-facts train-facts">
          <dt>Status</dt>
          <dd data-testid="train-status" data-status={status}>
            {STATUS_TEXT[status]}
            {(lastStep !== undefined || live) && ` · ${(lastStep ?? -1) + 1} of ${settings.steps} steps done`}
            {status === 'running' && scanning && (
              <span data-testid="train-scanning">
                {' '}
                · scanning for the model's mistakes {scanning.done} of {scanning.total}
              </span>
            )}
            {status === 'running' && !evaluating && !scanning && (
              <>
                {' '}
                · step {(lastStep ?? -1) + 2} running for <Elapsed since={stepStartedAt} />
              </>
            )}
            {status === 'running' && evaluating && (
              <span data-testid="train-evaluating">
                {' '}
                · held-out evaluation {evaluating.done} of {evaluating.total}
              </span>
            )}
          </dd>
          <dt>Backend</dt>
          <dd data-testid="train-backend">
            {backend
              ? `jax-js ${backend.trainer === 'webgpu' ? 'WebGPU' : 'WASM'} · rollouts ${backend.rollout === 'webgpu' ? 'WebGPU' : 'WASM'}`
              : live || status === 'idle'
                ? '–'
                : 'not recorded (a run saved by an older version)'}
          </dd>
          <dt>Prompts</dt>
          <dd data-testid="train-pool">
            {focus
              ? `focused: ${focus.kept} of ${focus.scanned} scanned prompts the start model gets wrong (${Math.round((1 - focus.mix) * 100)}% of each step), the rest from all ${backend?.poolSize ?? ''}`
              : backend
                ? `${backend.poolSize} training prompts`
                : live || status === 'idle'
                  ? '–'
                  : 'not recorded'}
          </dd>
        </dl>
        {message && (
          <p className="note" data-testid="train-message">
            {message}
          </p>
        )}
        {backend?.adapter && (
          <p className="note" data-testid="train-adapter">
            WebGPU adapter: {backend.adapter}
            {backend.adapter.endsWith('(software)') && ' — a CPU emulation, far slower than WASM here: choose WASM only under Advanced.'}
          </p>
        )}
        {backend?.trainerFallback && (
          <p className="note" data-testid="train-fallback">
            Training not on WebGPU: {backend.trainerFallback}
          </p>
        )}
        {backend?.rolloutFallback && <p className="note">Rollouts not on WebGPU: {backend.rolloutFallback}</p>}
        {skipped && (
          <p className="note" data-testid="train-skipped">
            Last step: {skipped}
          </p>
        )}
        {error && (
          <p className="error" role="alert" data-testid="train-error">
            {error}
          </p>
        )}
        {storageError && (
          <p className="error" role="alert">
            {storageError}
          </p>
        )}
      </section>

      <section className="panel train-curves" aria-label="Curves">
        <header className="panel-head">
          <h2>Curves</h2>
          <span className="hint">
            {metrics.length} step{metrics.length === 1 ? '' : 's'}
          </span>
        </header>
        {settings.answerOnly && answerOnlyGame(settings.game) && (
          <p className="note" data-testid="train-teaches">
            Teaching: {DEMO_TEACHES}
            <br />
            What to expect: {DEMO_EXPECT}
          </p>
        )}
        <TrainCharts rows={metrics} evals={evals} unreported={settings.answerOnly && answerOnlyGame(settings.game) ? ['format_rate'] : []} />
      </section>

      <section className="panel train-checkpoints" aria-label="Checkpoints">
        <header className="panel-head">
          <h2>Checkpoints</h2>
          <button onClick={() => void train.getState().save()} disabled={!canSave || saving} data-testid="save-checkpoint">
            {saving ? 'Saving…' : 'Save checkpoint'}
          </button>
        </header>
        {checkpoints.length === 0 ? (
          <p className="hint">Saved weights are kept in this browser; watch them play or download them.</p>
        ) : (
          <ul className="record-list" data-testid="checkpoint-list">
            {checkpoints.map((c) => (
              <li key={c.key}>
                <span className="record-name">
                  step {c.step} · {(c.bytes / (1 << 20)).toFixed(1)} MiB
                </span>
                <button
                  disabled={busy !== null}
                  onClick={() =>
                    void act('watch', async () => {
                      await train.getState().watch(c.key);
                      onWatch();
                    })
                  }
                >
                  Watch it
                </button>
                <button
                  disabled={busy !== null}
                  onClick={() =>
                    void act('st', async () => {
                      const f = await train.getState().folderFiles(c.key);
                      download(f.files.get('model.safetensors') as Uint8Array, `${f.name}.safetensors`);
                    })
                  }
                >
                  Safetensors
                </button>
                <button
                  disabled={busy !== null}
                  onClick={() =>
                    void act('onnx', async () => {
                      const f = await train.getState().folderFiles(c.key);
                      download(f.files.get('model.onnx') as Uint8Array, `${f.name}.onnx`);
                    })
                  }
                >
                  ONNX
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel train-groups-panel" aria-label="Latest groups">
        <header className="panel-head">
          <h2>Latest groups{groupsStep !== null ? ` · step ${groupsStep + 1}` : ''}</h2>
        </header>
        <TrainGroups groups={groups} step={groupsStep} selected={selected} onSelect={(g, s) => train.getState().select(g, s)} />
        <TokenHeat sample={sample} mode={heat} maxAbs={maxAbsAdvantage(groups)} onMode={(m) => train.getState().setHeat(m)} />
      </section>
    </div>
  );
}
