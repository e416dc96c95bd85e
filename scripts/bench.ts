/**
 * `npm run bench`: throughput of the game kernel on one core, printed as one JSON object.
 * Each figure runs for a fixed wall-clock budget after a warm-up, so the numbers are rates, not totals.
 *
 * Targets (issue 2): >= 100,000 Snake env steps/s and >= 20,000 labels/s.
 */
import { SNAKE_BOTS, SnakeEnv, playSnakeGame, sampleSnakeStates, snakeLabels, snakeScene } from '../src/games/snake';
import { rotationQuestion, rotationScenes } from '../src/games/rotation';
import { rasterize } from '../src/render/raster';
import { encodePng } from '../src/render/png';

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

// Env steps: replay the moves of real bot-vs-bot games (snakes grow long, as in play), so the figure is
// the cost of a step in a realistic state rather than of resets after instant deaths.
const games = Array.from({ length: 100 }, (_, g) => ({ seed: g, moves: playSnakeGame([SNAKE_BOTS.lookahead, SNAKE_BOTS.greedy], g).moves }));
const meanGameRounds = games.reduce((n, g) => n + g.moves.length, 0) / games.length;
const env = new SnakeEnv();
let game = 0;
let round = 0;
env.reset(0);
const envSteps = rate(() => {
  const current = games[game]!;
  env.step(current.moves[round++]!);
  if (round === current.moves.length) {
    game = (game + 1) % games.length;
    round = 0;
    env.reset(games[game]!.seed);
  }
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
      snakeEnvStepsMeasuredOn: `replayed lookahead-vs-greedy games, ${meanGameRounds.toFixed(1)} rounds on average`,
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
