/**
 * A stand-alone check of the worker-thread shim, run in a child process by node-threads.test.ts (the
 * shim must load before jax-js, which a test file sharing its process with others cannot guarantee).
 * Prints one JSON line: the thread count, the max error of a matmul against a plain-loop reference,
 * and whether `navigator` was left as it was.
 */
import { enableWasmThreads, shimStats } from './node-threads.node.ts';

const hadNavigator = 'navigator' in globalThis;
const threads = await enableWasmThreads(2);
const { numpy: np } = await import('@jax-js/jax');
const [M, K, N] = [64, 48, 80];
const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i));
const b = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i));
const got = (await np.matmul(np.array(a, { shape: [M, K] }), np.array(b, { shape: [K, N] })).data()) as Float32Array;
let maxErr = 0;
for (let i = 0; i < M; i++) {
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (a[i * K + k] as number) * (b[k * N + j] as number);
    maxErr = Math.max(maxErr, Math.abs(s - (got[i * N + j] as number)));
  }
}
const workerInstalled = typeof (globalThis as { Worker?: unknown }).Worker === 'function';
process.stdout.write(
  JSON.stringify({ threads, maxErr, workerInstalled, navigatorRestored: 'navigator' in globalThis === hadNavigator, ...shimStats() }) + '\n',
);
