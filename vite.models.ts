/**
 * Serves the top-level `models/` folder at `/models/` (dev and preview servers) and copies it into the
 * build, with `/models/index.json` listing the model folders. The browser loads only what generation
 * needs: config.json, tokenizer.json, the ONNX files and the model card.
 */
import { cpSync, createReadStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

const SERVED = new Set(['.json', '.onnx', '.md']);
const TYPES: Record<string, string> = { '.json': 'application/json', '.onnx': 'application/octet-stream', '.md': 'text/markdown; charset=utf-8' };

export interface ModelEntry {
  name: string;
  files: string[];
}

export function listModels(root: string): ModelEntry[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'config.json')))
    .map((d) => ({ name: d.name, files: readdirSync(join(root, d.name)).filter((f) => SERVED.has(extname(f))).sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
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
