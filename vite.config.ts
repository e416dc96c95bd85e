/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { modelsPlugin } from './vite.models.ts';

// COOP/COEP make the page cross-origin isolated, which onnxruntime-web and jax-js need for WASM threads.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), ...modelsPlugin()],
  server: { headers: isolation, port: 5173, strictPort: false },
  preview: { headers: isolation, port: 4173 },
  // onnxruntime-web ships its own .wasm and .mjs loaders: pre-bundling breaks their URLs (the dev server
  // then answers the .wasm request with index.html).
  // transformers.js is imported only by the local-VLM worker, which the dev server's start-up scan does not
  // reach: named here, it is pre-bundled at start rather than on first use (which reloads the page).
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['@huggingface/transformers'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    testTimeout: 60_000,
  },
});
