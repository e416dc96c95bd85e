/**
 * The local-VLM slice of the models store: settings (device, dtype per module, sampling), which served
 * folders are transformers.js exports, and the files of a picked directory. Pure helpers; the store
 * (models.ts) calls them and keeps the picked files in its closure (big blobs are not state).
 */
import type { VlmDtype, VlmModule } from '../model/vlm/layout';
import type { LocalVlmWorkerSource } from '../workers/localVlmProtocol';
import { localTarget, tryParsePolicySpec } from '../policy/spec';

export interface LocalVlmSettings {
  /** 'webgpu' tries WebGPU and falls back to WASM (the reason is shown); 'wasm' skips WebGPU. */
  device: 'webgpu' | 'wasm';
  /** Per module; a module left out gets the best the folder has for the device (layout.ts). */
  dtypes: Partial<Record<VlmModule, VlmDtype>>;
  temperature: number;
  maxTokens: number;
}

export const DEFAULT_LOCAL_SETTINGS: LocalVlmSettings = { device: 'webgpu', dtypes: {}, temperature: 0, maxTokens: 512 };

/** The choice for a directory picked in this tab (its files cannot live in a URL). */
export const PICKED_CHOICE = 'local-picked';

/** A folder in /models/index.json is a transformers.js export when it has ONNX files under onnx/. */
export function isVlmEntry(entry: { files?: readonly string[] }): boolean {
  return (entry.files ?? []).some((f) => f.startsWith('onnx/') && f.endsWith('.onnx'));
}

export interface PickedFolder {
  name: string;
  files: [string, Blob][];
}

/**
 * The files of an `<input webkitdirectory>` pick, keyed by path inside the picked folder
 * ('tiny/onnx/x.onnx' -> 'onnx/x.onnx'). Throws when nothing was picked.
 */
export function pickedFolder(files: readonly { webkitRelativePath: string; name: string; blob: Blob }[]): PickedFolder {
  if (files.length === 0) throw new Error('no files were picked; choose the model folder (the one holding config.json and onnx/)');
  const first = files[0]?.webkitRelativePath || files[0]?.name || '';
  const top = first.includes('/') ? first.slice(0, first.indexOf('/')) : 'picked';
  const out: [string, Blob][] = files.map((f) => {
    const rel = f.webkitRelativePath || f.name;
    return [rel.startsWith(`${top}/`) ? rel.slice(top.length + 1) : rel, f.blob];
  });
  // A pick of a parent folder: the model sits one level down, under the only folder with a config.json.
  if (!out.some(([p]) => p === 'config.json')) {
    const inner = [...new Set(out.filter(([p]) => p.endsWith('/config.json') && p.split('/').length === 2).map(([p]) => p.split('/')[0] as string))];
    if (inner.length === 1) {
      const sub = inner[0] as string;
      return { name: sub, files: out.filter(([p]) => p.startsWith(`${sub}/`)).map(([p, b]) => [p.slice(sub.length + 1), b]) };
    }
  }
  return { name: top, files: out };
}

/** Where the worker loads a choice from. */
export function localSource(choice: string, base: string, picked: PickedFolder | null): LocalVlmWorkerSource {
  if (choice === PICKED_CHOICE) {
    if (!picked) throw new Error('no folder picked yet: use "Choose folder…" to pick a model folder on this computer');
    return { kind: 'files', name: picked.name, files: picked.files };
  }
  const spec = tryParsePolicySpec(choice);
  const folder = spec?.kind === 'local' ? localTarget(spec) : null;
  if (folder === null) throw new Error(`not a local VLM choice: '${choice}'`);
  return { kind: 'url', base: `${base}${encodeURIComponent(folder)}/` };
}
