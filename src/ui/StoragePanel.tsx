/**
 * What the browser keeps for this site: a usage bar (navigator.storage.estimate), count and size per
 * kind of record, export to JSONL, import from JSONL (our records or verl rollout dumps) with a report of
 * every line that could not be read, and delete. `StorageAlert` shows the last storage failure (a full
 * quota above all) wherever the user is, so a failed save is never silent.
 */
import { useEffect, useId, useState } from 'react';
import { formatBytes, listSummaries, type RecordSummary, type RecordType } from '../persist';
import type { EpisodesStore } from '../store/episodes';
import { useStore } from './useStore';

const TYPE_TITLES: Record<RecordType | 'checkpoint', string> = {
  episode: 'Episodes',
  evaluation: 'Evaluations',
  run: 'Training runs',
  checkpoint: 'Checkpoints',
};

export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

export function StorageAlert({ episodes }: { episodes: EpisodesStore }) {
  const error = useStore(episodes, (s) => s.error);
  const kind = useStore(episodes, (s) => s.errorKind);
  if (!error) return null;
  return (
    <div className={`storage-alert ${kind ?? ''}`} role="alert" data-testid="storage-error">
      <span>{error}</span>
      <button onClick={() => episodes.getState().clearError()} aria-label="Dismiss storage message">
        Dismiss
      </button>
    </div>
  );
}

export function StoragePanel({ episodes }: { episodes: EpisodesStore }) {
  const summary = useStore(episodes, (s) => s.summary);
  const lastImport = useStore(episodes, (s) => s.lastImport);
  const lastSave = useStore(episodes, (s) => s.lastSave);
  const count = useStore(episodes, (s) => s.episodes.length);
  const [runs, setRuns] = useState<RecordSummary[]>([]);
  const [evals, setEvals] = useState<RecordSummary[]>([]);
  const [withCheckpoints, setWithCheckpoints] = useState(false);
  const [busy, setBusy] = useState(false);
  const headingId = useId();

  useEffect(() => {
    let live = true;
    void Promise.all([listSummaries('run'), listSummaries('evaluation')])
      .then(([r, e]) => live && (setRuns(r), setEvals(e)))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [summary]);

  const exportType = async (type: RecordType, ids?: string[]) => {
    const text = await episodes.getState().exportJsonl(type, ids, { checkpoints: withCheckpoints });
    download(`vigal-${ids?.length === 1 ? ids[0] : `${type}s`}-${stamp()}.jsonl`, text);
  };

  const usage = summary?.usage ?? null;
  const quota = summary?.quota ?? null;
  const share = usage !== null && quota ? Math.min(1, usage / quota) : 0;

  return (
    <section className="panel storage-panel" aria-labelledby={headingId} data-testid="storage-panel">
      <header className="panel-head">
        <h2 id={headingId}>Storage</h2>
        <button onClick={() => void episodes.getState().refresh()}>Refresh</button>
      </header>
      <div className="usage" data-testid="storage-usage">
        <div className="usage-bar" role="meter" aria-label="Storage used" aria-valuemin={0} aria-valuemax={quota ?? 0} aria-valuenow={usage ?? 0}>
          <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
        <span className="hint">
          {usage === null
            ? 'The browser does not report its usage.'
            : `${formatBytes(usage)} of ${formatBytes(quota)} used (${(share * 100).toFixed(share < 0.01 ? 2 : 0)}%)`}
        </span>
      </div>
      <table className="storage-table">
        <tbody>
          {(['episode', 'evaluation', 'run', 'checkpoint'] as const).map((t) => (
            <tr key={t} data-testid={`storage-${t}`}>
              <th scope="row">{TYPE_TITLES[t]}</th>
              <td className="num">{summary?.types[t].count ?? '–'}</td>
              <td className="num">{summary ? formatBytes(summary.types[t].bytes) : '–'}</td>
              <td>
                {t !== 'checkpoint' && (
                  <button onClick={() => void exportType(t)} disabled={!summary?.types[t].count} aria-label={`Export ${TYPE_TITLES[t].toLowerCase()} as JSONL`}>
                    Export
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="inline hint">
        <input type="checkbox" checked={withCheckpoints} onChange={(e) => setWithCheckpoints(e.target.checked)} />
        Runs export with their checkpoint bytes
      </label>
      {lastSave && (
        <p className="hint" data-testid="last-save">
          Last autosave: {lastSave.steps} {lastSave.steps === 1 ? 'step' : 'steps'}, {formatBytes(lastSave.bytes)} (
          {formatBytes(Math.round(lastSave.bytes / Math.max(1, lastSave.steps)))} a step) in {lastSave.ms.toFixed(1)} ms.
        </p>
      )}
      {(runs.length > 0 || evals.length > 0) && (
        <ul className="record-list" aria-label="Saved runs and evaluations">
          {[...runs, ...evals].map((r) => (
            <li key={`${r.type}:${r.id}`}>
              <span className="record-name">
                {r.type === 'run' ? `${r.kind} run` : `evaluation of ${r.policies?.join(', ') ?? '?'}`} {r.id} · {new Date(r.createdAt).toLocaleString()} ·{' '}
                {formatBytes(r.bytes)}
              </span>
              <button onClick={() => void exportType(r.type, [r.id])}>Export</button>
              <button onClick={() => void episodes.getState().remove(r.type, r.id)} aria-label={`Delete ${r.type} ${r.id}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="import">
        <label className="file-label">
          Import JSONL (episodes, runs, evaluations, verl rollout dumps)
          <input
            type="file"
            accept=".jsonl,.json,.ndjson,.txt,application/x-ndjson,application/json,text/plain"
            multiple
            disabled={busy}
            data-testid="import-file"
            onChange={async (e) => {
              const files = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = '';
              setBusy(true);
              try {
                for (const f of files) await episodes.getState().importJsonl(await f.text(), f.name);
              } finally {
                setBusy(false);
              }
            }}
          />
        </label>
        {count > 0 && (
          <button
            className="danger"
            onClick={async () => {
              if (!window.confirm(`Delete all ${count} saved episodes? Export them first to keep a copy.`)) return;
              for (const ep of episodes.getState().episodes) await episodes.getState().remove('episode', ep.id);
            }}
          >
            Delete all episodes
          </button>
        )}
      </div>
      {lastImport && (
        <div className="import-report" data-testid="import-report" aria-live="polite">
          <p>
            {lastImport.file}: read {lastImport.lines} lines; imported {lastImport.added.episode} episodes
            {lastImport.verlLines > 0 ? ` (from ${lastImport.verlLines} verl rollout lines)` : ''}, {lastImport.added.run} runs, {lastImport.added.evaluation}{' '}
            evaluations
            {lastImport.added.checkpoint ? `, ${lastImport.added.checkpoint} checkpoints` : ''}.
            {lastImport.errors.length > 0 ? ` ${lastImport.errors.length} line${lastImport.errors.length === 1 ? '' : 's'} skipped:` : ' Every line was read.'}
          </p>
          {lastImport.errors.length > 0 && (
            <ol className="import-errors" data-testid="import-errors">
              {lastImport.errors.slice(0, 50).map((e, i) => (
                <li key={i}>
                  {e.line > 0 ? `Line ${e.line}: ` : ''}
                  {e.message}
                </li>
              ))}
              {lastImport.errors.length > 50 && <li>… and {lastImport.errors.length - 50} more.</li>}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
