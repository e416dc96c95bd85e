import { describe, expect, it } from 'vitest';
import { rasterHash, rasterize } from '../../render/raster';
import { snakeLabels } from './labels';
import { snakePrompt } from './prompt';
import { isFullSnakePrompt, readFullSnakePrompt } from './readPrompt';
import { sampleSnakeStates } from './sampler';
import { snakeScene } from './scene';
import type { SnakeState } from './types';

describe('readFullSnakePrompt', () => {
  // Both points of view of 60 sampled positions: the rebuilt position must give the same compact
  // prompt, the same labels and (apart from an unknown enemy head direction) the same nano raster.
  const states = sampleSnakeStates(5, 60).flatMap((s) => s.snakes.map((me) => ({ ...s, you: me.id })));

  it('reads back what the compact prompt, the labels and the nano raster depend on', () => {
    let oneCellEnemies = 0;
    for (const s of states) {
      const back = readFullSnakePrompt(snakePrompt(s, { variant: 'full' })) as SnakeState;
      expect(back).not.toBeNull();
      expect(snakePrompt(back, { variant: 'compact' })).toBe(snakePrompt(s, { variant: 'compact' }));
      expect(snakeLabels(back)).toEqual(snakeLabels(s));
      expect(back.apples).toEqual(s.apples);
      // The enemy's last move is not in the prompt: its head triangle follows its neck instead, which
      // only a one-cell enemy lacks. Given that one fact, the raster is the same pixel for pixel.
      const enemy = s.snakes.find((x) => x.id !== s.you);
      const fixed = { ...back, snakes: back.snakes.map((x) => (x.id === enemy?.id ? { ...x, lastMove: enemy.lastMove } : x)) };
      if (enemy && enemy.body.length === 1 && enemy.lastMove) oneCellEnemies++;
      const raster = (st: SnakeState) => rasterHash(rasterize(snakeScene(st, { size: 80, axes: false })));
      expect(raster(fixed)).toBe(raster(s));
    }
    expect(oneCellEnemies).toBeGreaterThan(0); // the case above was met
  });

  it('recognises only the full prompt', () => {
    const s = states[0] as SnakeState;
    expect(isFullSnakePrompt(snakePrompt(s, { variant: 'full' }))).toBe(true);
    expect(isFullSnakePrompt(snakePrompt(s, { variant: 'compact' }))).toBe(false);
    expect(readFullSnakePrompt(snakePrompt(s, { variant: 'compact' }))).toBeNull();
    expect(readFullSnakePrompt('hello')).toBeNull();
  });

  it.each([
    ['a line is missing', (p: string) => p.replace(/^- Apples: .*$/m, ''), /Apples/],
    ['a point list is garbled', (p: string) => p.replace(/^- Apples: .*$/m, '- Apples: (1, two).'), /Apples .*not a list of points/],
    ['a cell is off the board', (p: string) => p.replace(/^- Apples: .*$/m, '- Apples: (42, 1).'), /apples\[0\]/],
    ['a colour is unknown', (p: string) => p.replace(/the red snake/, 'the green snake'), /colour 'green'/],
  ])('names the problem when %s', (_name, edit, message) => {
    const s: SnakeState = {
      width: 10, height: 10, apples: [[3, 4]], you: 1, round: 4,
      snakes: [
        { id: 1, body: [[5, 5], [5, 4]], lastMove: 'UP', alive: true, score: 2 },
        { id: 2, body: [[8, 8]], lastMove: 'LEFT', alive: true, score: 0 },
      ],
    };
    expect(() => readFullSnakePrompt(edit(snakePrompt(s, { variant: 'full' })))).toThrow(message);
  });
});
