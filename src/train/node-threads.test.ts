import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('worker_threads shim for jax-js WASM', () => {
  it('runs kernels on 2 worker threads with correct results, restores navigator, and lets the process exit', async () => {
    const script = fileURLToPath(new URL('./node-threads.check.ts', import.meta.url));
    // A child process: the shim must be installed before jax-js is first imported. The timeout also
    // catches the shim's old failure mode, idle worker threads keeping the process alive.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { timeout: 60_000 });
    const r = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(r).toMatchObject({ threads: 2, workerInstalled: true, navigatorRestored: true });
    expect(r.maxErr as number).toBeLessThan(1e-4);
    // Two threads started and answered messages beyond their 'ready' (kernels ran on them).
    expect(r.workers).toBe(2);
    expect(r.replies as number).toBeGreaterThan(2);
  });
});
