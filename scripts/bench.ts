/**
 * `npm run bench`: throughput of the game kernel on one core, printed as one JSON object.
 * Each figure runs for a fixed wall-clock budget after a warm-up, so the numbers are rates, not totals.
 *
 * Targets (issue 2): >= 100,000 Snake env steps/s and >= 20,000 labels/s.
 */
import { SnakeEnv, sampleSnakeStates, snakeLabels, snakeScene, MOVES, type Move } from '../src/games/snake';
import { rotationQuestion, rotationScenes } from '../src/games/rotation';
import { rasterize } from '../src/render/raster';
import { encodePng } from '../src/render/png';
import { Rng } from '../src/util/rng';

const BUDGET_MS = Number(process.env.BENCH_MS ?? 1500);

/** Runs `work` repeatedly (each call does `unitsPerCall` units) and returns units per second. */
function rate(work: (i: number) => void, unitsPerCall = 1): number {
  for (let i = 0; i < 50; i++) work(i); // warm-up: let the JIT settle
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < BUDGET_MS) {
    for (let k = 0; k < 16; k++) work(calls++);
  }
  return Math.round((calls * unitsPerCall) / ((performance.now() - start) / 1000));
}

// Env steps with pre-drawn moves that avoid reversing into the neck, so games last long enough
// for the step (not reset) to dominate; resets are included in the time.
const rng = new Rng(7);
const drawn: Move[] = Array.from({ length: 1 << 16 }, () => MOVES[rng.int(4)] as Move);
const opposite: Record<Move, Move> = { UP: 'DOWN', DOWN: 'UP', LEFT: 'RIGHT', RIGHT: 'LEFT' };
const env = new SnakeEnv();
let state = env.reset(1).state;
let episodes = 1;
let cursor = 0;
const pick = (last: Move | null): Move => {
  let m = drawn[cursor++ & 0xffff] as Move;
  if (last && m === opposite[last]) m = drawn[cursor++ & 0xffff] as Move;
  return m;
};
const envSteps = rate(() => {
  const moves: Record<number, Move> = {};
  for (const s of state.snakes) if (s.alive) moves[s.id] = pick(s.lastMove);
  const out = env.step(moves);
  state = out.state;
  if (out.terminated || out.truncated) state = env.reset(++episodes).state;
});

const states = sampleSnakeStates(3, 2000, { minLength: 1, maxLength: 5 });
const labelsPerSec = rate((i) => snakeLabels(states[i % states.length]!));

const scenesSmall = states.slice(0, 200).map((s) => snakeScene(s, { size: 80, axes: false }));
const scenesBig = states.slice(0, 200).map((s) => snakeScene(s, { size: 320, axes: true }));
const rasterSmall = rate((i) => rasterize(scenesSmall[i % 200]!));
const rasterBig = rate((i) => rasterize(scenesBig[i % 200]!));
const sceneAndRasterBig = rate((i) => rasterize(snakeScene(states[i % 2000]!, { size: 320, axes: true })));
const rastersBig = scenesBig.slice(0, 50).map((s) => rasterize(s));
const pngBig = rate((i) => encodePng(rastersBig[i % 50]!));

let q = 0;
const rotationPairs = rate(() => {
  const question = rotationQuestion(q++, { example: false });
  rotationScenes(question, 256).forEach((s) => rasterize(s));
});

console.log(
  JSON.stringify(
    {
      node: process.version,
      budgetMsPerFigure: BUDGET_MS,
      snakeEnvStepsPerSec: envSteps,
      snakeEpisodes: episodes,
      snakeLabelsPerSec: labelsPerSec,
      rasterFramesPerSec: { snake80x80: rasterSmall, snake320x320: rasterBig, snake320x320WithScene: sceneAndRasterBig },
      pngFramesPerSec: { snake320x320: pngBig },
      rotationPairsPerSec: { at256pxRasterised: rotationPairs },
      targets: { snakeEnvStepsPerSec: 100_000, snakeLabelsPerSec: 20_000 },
      meetsTargets: envSteps >= 100_000 && labelsPerSec >= 20_000,
    },
    null,
    2,
  ),
);
