/**
 * Export benchmark: a ViGaL-sized Snake export (36,000 samples, 10x10 board, 320 px images) for verl,
 * timed end to end (sampling, labels, prompts, rendering, PNG, parquet, hashing, commit), with the
 * process's peak resident memory (worker threads included). Target on a 2-core machine: under 2 minutes
 * and under 1 GiB.
 *
 *   npx tsx scripts/bench-export.ts [--n 36000] [--engine verl] [--workers K] [--keep DIR]
 *
 * Prints one JSON object on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkers, exportDataset } from '../src/data/export.node.ts';
import { ENGINES, type Engine } from '../src/data/writers.node.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const n = Number(arg('n', '36000'));
const engine = arg('engine', 'verl') as Engine;
if (!ENGINES.includes(engine)) throw new Error(`--engine must be one of ${ENGINES.join(', ')}`);
const workers = Number(arg('workers', String(defaultWorkers())));
const keep = arg('keep', '');
const root = keep === '' ? mkdtempSync(join(tmpdir(), 'vigal-bench-')) : keep;
const out = keep === '' ? join(root, 'export') : keep;

// Resident memory sampled every 100 ms as a cross-check of the kernel's high-water mark.
let sampledPeak = process.memoryUsage.rss();
const timer = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
}, 100);

const cpuBefore = process.cpuUsage();
const started = performance.now();
const manifest = await exportDataset({
  engine,
  game: 'snake',
  n,
  valFraction: 0.05,
  out,
  workers,
  build: {
    seed: 1,
    promptVariant: 'full',
    snake: { board: 10, minLength: 1, maxLength: 5, imageSize: 320 },
    rotation: { classSet: 'default', example: true, imageSize: 512, supersample: 2 },
  },
});
const seconds = (performance.now() - started) / 1000;
// user + system time of every thread of this process: what the export cost whatever else ran beside it.
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
clearInterval(timer);

const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0) + (manifest.images?.bytes ?? 0);
// resourceUsage().maxRSS is in KiB and covers the whole process, worker threads included.
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({
    benchmark: 'export',
    engine,
    game: 'snake',
    board: 10,
    imageSize: 320,
    samples: n,
    workers,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    seconds: Number(seconds.toFixed(1)),
    samplesPerSecond: Number((n / seconds).toFixed(1)),
    cpuSeconds: Number(cpuSeconds.toFixed(1)),
    /** Share of the machine's cores this run got: below 1, other work competed for them. */
    coreShare: Number((cpuSeconds / seconds / availableParallelism()).toFixed(2)),
    peakRssMiB: Number(peakRssMiB.toFixed(0)),
    sampledPeakRssMiB: Number((sampledPeak / 2 ** 20).toFixed(0)),
    outputMiB: Number((bytes / 2 ** 20).toFixed(1)),
    duplicatesDropped: manifest.sampling.snake?.duplicatesDropped ?? 0,
    targets: { secondsUnder: 120, peakRssMiBUnder: 1024 },
    pass: seconds < 120 && peakRssMiB < 1024,
  }),
);
if (keep === '') rmSync(root, { recursive: true, force: true });
