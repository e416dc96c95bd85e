// Worker thread entry of the export (see pool.node.ts). Plain JavaScript because a worker does not inherit
// the parent's TypeScript loader: it registers tsx itself, then loads the chunk builder from source.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { buildChunk } = await import('./build.node.ts');
const opts = workerData.options;

parentPort.on('message', (msg) => {
  try {
    const candidates = buildChunk(opts, msg.game, msg.chunk);
    // Hand the PNG buffers over instead of copying them.
    const transfer = candidates.flatMap((c) => c.images.map((img) => img.buffer));
    parentPort.postMessage({ id: msg.id, candidates }, transfer);
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
parentPort.postMessage({ ready: true });
