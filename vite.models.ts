/**
 * Serves the top-level `models/` folder at `/models/` (dev and preview servers) and copies it into the
 * build, with `/models/index.json` listing the model folders. The browser loads only what generation
 * needs: config.json, tokenizer.json, the ONNX files and the model card (and model.safetensors, the
 * weights the Train view starts from); for transformers.js exports
 * (docs/local-vlm.md) also the files under onnx/, with external weight files (.onnx_data) and chat
 * templates (.jinja).
 */
import { cpSync, createReadStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

// .safetensors: the trainer's weights, which the Train view's worker starts from.
const SERVED = new Set(['.json', '.onnx', '.md', '.onnx_data', '.jinja', '.safetensors']);
const TYPES: Record<string, string> = {
  '.safetensors': 'application/octet-stream',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
};

export interface ModelEntry {
  name: string;
  files: string[];
}

export function listModels(root: string): ModelEntry[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'config.json')))
    .map((d) => ({ name: d.name, files: servedFiles(join(root, d.name)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A folder's served files: its own, and those under onnx/ (transformers.js exports keep their ONNX there). */
function servedFiles(dir: string): string[] {
  const own = readdirSync(dir).filter((f) => SERVED.has(extname(f)));
  const onnx = join(dir, 'onnx');
  const nested =
    existsSync(onnx) && statSync(onnx).isDirectory()
      ? readdirSync(onnx)
          .filter((f) => SERVED.has(extname(f)))
          .map((f) => `onnx/${f}`)
      : [];
  return [...own, ...nested].sort();
}

export function modelsPlugin(root = resolve(import.meta.dirname, 'models')): Plugin[] {
  const serve = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith('/models/')) return next();
    const rel = decodeURIComponent(path.slice('/models/'.length));
    if (rel === 'index.json') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(listModels(root)));
      return;
    }
    const file = resolve(root, rel);
    if (!file.startsWith(root + sep) || !SERVED.has(extname(file)) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain');
      res.end(`no such model file: ${rel}`);
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    createReadStream(file).pipe(res);
  };
  let outDir = 'dist';
  return [
    {
      name: 'vigal-models-serve',
      configureServer(server) {
        server.middlewares.use(serve);
      },
      configurePreviewServer(server) {
        server.middlewares.use(serve);
      },
    },
    {
      // Only a real build copies files (Vitest also loads this config, with a dummy outDir).
      name: 'vigal-models-build',
      apply: 'build',
      configResolved(config) {
        outDir = resolve(config.root, config.build.outDir);
      },
      closeBundle() {
        const target = join(outDir, 'models');
        mkdirSync(target, { recursive: true });
        const models = listModels(root);
        for (const m of models) {
          for (const f of m.files) cpSync(join(root, m.name, f), join(target, m.name, f));
        }
        writeFileSync(join(target, 'index.json'), JSON.stringify(models));
      },
    },
  ];
}
