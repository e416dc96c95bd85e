/**
 * `vigal score <snake|rotation>`: lines `{"truth": ..., "response": "..."}` in, the reward parts out.
 * Snake truth is `{"best": [...], "worst": [...]}` or `{"state": <state JSON>}` (labelled here);
 * Rotation truth is the answer string or `{"answer": "..."}`.
 */
import type { Command } from 'commander';
import { MOVES, parseSnakeState, scoreSnake, snakeLabels, type Move } from '../../games/snake';
import { scoreRotation } from '../../games/rotation';
import { parseChoice, readJsonLines, writeJsonLine } from '../io';

function snakeTruth(truth: unknown): { best: Move[]; worst: Move[] } {
  if (typeof truth !== 'object' || truth === null) throw new Error('snake truth must be {"best":[...],"worst":[...]} or {"state":{...}}');
  const t = truth as Record<string, unknown>;
  if ('state' in t) return snakeLabels(parseSnakeState(t.state));
  const moves = (key: 'best' | 'worst'): Move[] => {
    const list = t[key];
    if (!Array.isArray(list) || !list.every((m) => (MOVES as readonly unknown[]).includes(m))) {
      throw new Error(`snake truth.${key} must be a list of ${MOVES.join(', ')}; got ${JSON.stringify(list)}`);
    }
    return list as Move[];
  };
  return { best: moves('best'), worst: moves('worst') };
}

function rotationTruth(truth: unknown): string {
  if (typeof truth === 'string') return truth;
  if (typeof truth === 'object' && truth !== null && typeof (truth as { answer?: unknown }).answer === 'string') {
    return (truth as { answer: string }).answer;
  }
  throw new Error('rotation truth must be the answer string or {"answer": "..."}');
}

export function register(program: Command): void {
  program
    .command('score')
    .argument('<game>', 'snake or rotation')
    .description('score model responses with the ViGaL reward: reads {"truth":...,"response":"..."} lines, prints {"format","accuracy","overall"}')
    .addHelpText('after', '\nExample:\n  echo \'{"truth":{"answer":"180"},"response":"<think>..</think><answer>180</answer>"}\' | vigal score rotation')
    .action(async (gameRaw: string) => {
      const game = parseChoice('score: game', gameRaw, ['snake', 'rotation'] as const);
      let failures = 0;
      for await (const { line, value, error } of readJsonLines(process.stdin)) {
        let out: unknown;
        try {
          if (error) throw new Error(error);
          if (typeof value !== 'object' || value === null) throw new Error('expected an object {"truth":..., "response": "..."}');
          const { truth, response } = value as { truth?: unknown; response?: unknown };
          if (typeof response !== 'string') throw new Error('"response" must be a string');
          const verdict = game === 'snake' ? scoreSnake(response, snakeTruth(truth)) : scoreRotation(response, rotationTruth(truth));
          out = { format: verdict.format, accuracy: verdict.accuracy, overall: verdict.overall };
        } catch (err) {
          failures++;
          const message = (err as Error).message.startsWith('line ') ? (err as Error).message : `line ${line}: ${(err as Error).message}`;
          process.stderr.write(`vigal score: ${message}\n`);
          out = { error: message };
        }
        await writeJsonLine(process.stdout, out);
      }
      if (failures > 0) process.exitCode = 1;
    });
}
