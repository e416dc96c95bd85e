import { describe, expect, it, vi } from 'vitest';
import { rasterHash, rasterize } from '../../render/raster';
import { snakeLabels } from './labels';
import { snakePrompt } from './prompt';
import { isFullSnakePrompt, maxPromptLineChars, readFullSnakePrompt } from './readPrompt';
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
      width: 10,
      height: 10,
      apples: [[3, 4]],
      you: 1,
      round: 4,
      snakes: [
        {
          id: 1,
          body: [
            [5, 5],
            [5, 4],
          ],
          lastMove: 'UP',
          alive: true,
          score: 2,
        },
        { id: 2, body: [[8, 8]], lastMove: 'LEFT', alive: true, score: 0 },
      ],
    };
    expect(() => readFullSnakePrompt(edit(snakePrompt(s, { variant: 'full' })))).toThrow(message);
  });

  // Untrusted text (vigal serve reads it from requests): every pattern must see bounded input, and each
  // is linear in what it sees. The check is benchmark-free: every RegExp exec (test, replace and split go
  // through it) is recorded with the length of the string it was given.
  const OPENING = 'You control a snake in a game of Snake with several apples. The board in the image is 10 by 10 cells.\n';
  /** A line that made `Head: (.*?)\. Body: (.*)\.$` backtrack quadratically (288 KB froze a server for 9.6 s). */
  const hostileLine = (chars: number) => `- You are snake 1, the red snake. Head: ${'. Body: '.repeat(Math.ceil(chars / 8))}`;
  function regexInputs(run: () => unknown): { result: unknown; longest: number; calls: number } {
    const lengths: number[] = [];
    const exec = RegExp.prototype.exec;
    const spy = vi.spyOn(RegExp.prototype, 'exec').mockImplementation(function (this: RegExp, s: string) {
      lengths.push(String(s).length);
      return exec.call(this, s);
    });
    let result: unknown;
    try {
      result = (() => {
        try {
          return run();
        } catch (e) {
          return e;
        }
      })();
    } finally {
      spy.mockRestore();
    }
    return { result, longest: Math.max(0, ...lengths), calls: lengths.length };
  }

  it('refuses a 288 KB hostile line by its length before any pattern sees it', () => {
    const text = OPENING + hostileLine(288 * 1024) + '\n- Apples: (1, 1).\n';
    const { result, longest } = regexInputs(() => readFullSnakePrompt(text));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/line 2 is 29\d{4} characters long; no line of a full prompt for a 10 by 10 board is longer than 1000/);
    expect(maxPromptLineChars(10, 10)).toBe(1000);
    expect(longest).toBeLessThanOrEqual(160); // the opening, read from the first 160 characters only
  });

  it('matches each pattern against one line at most as long as the board allows, never the whole text', () => {
    // A 100 x 100 board allows long lines (a snake may list all 10 000 cells): a hostile line within
    // that bound reaches the pattern, which is anchored and has no quantifiers that can trade characters.
    const big = OPENING.replace('10 by 10', '100 by 100');
    const bound = maxPromptLineChars(100, 100);
    const line = hostileLine(bound - 100);
    const text = big + '- Your last move: UP\n'.repeat(2000) + line + '\n' + '- Apples: (1, 1).\n'.repeat(2000);
    const { result, longest } = regexInputs(() => readFullSnakePrompt(text));
    expect((result as Error).message).toMatch(/no readable '- You are snake N/);
    expect(line.length).toBeLessThanOrEqual(bound);
    expect(longest).toBe(line.length);
  });

  it('reads a full prompt with CRLF line ends as well', () => {
    const s = states[3] as SnakeState;
    const crlf = snakePrompt(s, { variant: 'full' }).replace(/\n/g, '\r\n');
    expect(snakePrompt(readFullSnakePrompt(crlf) as SnakeState, { variant: 'compact' })).toBe(snakePrompt(s, { variant: 'compact' }));
  });

  it('refuses a board larger than the game allows before reading further', () => {
    expect(() => readFullSnakePrompt(OPENING.replace('10 by 10', '5000 by 5000'))).toThrow(/board is 5000 by 5000 cells; boards are 1 to 100 cells a side/);
  });
});
