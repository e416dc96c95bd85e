import { describe, expect, it } from 'vitest';
import { pyList, rotationPrompt } from './prompt';
import { rotationQuestion, ROTATION_CLASS_SETS } from './task';

describe('rotationPrompt', () => {
  it('full: explains the pairs, asks for image 3 -> 4, offers the strategies, the options and the format', () => {
    const p = rotationPrompt(rotationQuestion(1));
    expect(p).toContain("Options: ['counter clockwise 90', '180']");
    expect(p).toContain('<think> reasoning </think><answer> answer </answer>');
    expect(p).toMatch(/Images 1 and 2 .* 180 degrees/);
    expect(p).toContain('from image 3 to image 4');
    for (const s of ['Coordinate transform', 'Line angle', 'Symmetry axes', 'Triangle orientation', 'Polar angles']) expect(p).toContain(s);
    expect(p).not.toMatch(/<image>|<\|image|\{image/i);
  });

  it('full without the example pair asks for image 1 -> 2 and does not mention images 3 or 4', () => {
    const p = rotationPrompt({ example: false });
    expect(p).toContain('from image 1 to image 2');
    expect(p).not.toMatch(/image [34]/i);
  });

  it('lists the class set it is given, in order', () => {
    expect(rotationPrompt({ classes: ROTATION_CLASS_SETS.three })).toContain("Options: ['clockwise 90', 'counter clockwise 90', '180']");
    expect(rotationPrompt(rotationQuestion(4, { classes: ['180', 'clockwise 90'] }))).toContain("Options: ['180', 'clockwise 90']");
  });

  it('compact: short, same interface', () => {
    const p = rotationPrompt({}, { variant: 'compact' });
    expect(p).toBe(
      [
        'Image 1 to image 2: the object turns 180 degrees in the image plane.',
        'Image 3 to image 4: by what angle does the object turn in the image plane?',
        "Options: ['counter clockwise 90', '180']",
        'Format: <think> reasoning </think><answer> answer </answer>',
      ].join('\n'),
    );
    expect(rotationPrompt({ example: false }, { variant: 'compact' }).split('\n')[0]).toBe(
      'Image 1 to image 2: by what angle does the object turn in the image plane?',
    );
    expect(p.length).toBeLessThan(rotationPrompt({}).length / 4);
  });

  it('rejects an unknown variant', () => {
    expect(() => rotationPrompt({}, { variant: 'long' as 'full' })).toThrow(/'full', 'compact'/);
  });
});

describe('pyList', () => {
  it.each([
    [['counter clockwise 90', '180'], "['counter clockwise 90', '180']"],
    [[], '[]'],
    [["it's"], `["it's"]`],
    [['a\\b'], "['a\\\\b']"],
  ])('prints %j as Python would: %s', (items, out) => {
    expect(pyList(items)).toBe(out);
  });
});
