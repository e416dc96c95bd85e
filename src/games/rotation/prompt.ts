/**
 * Rotation prompts. The interface is ViGaL's (the image pairs, the in-plane angle question, the options
 * as a Python list literal, the `<think> reasoning </think><answer> answer </answer>` format); the words
 * are ours. No image placeholders: the caller interleaves the images in prompt order (see
 * `rotationScenes`) in whatever way its chat template wants.
 */
import { EXAMPLE_ANGLE_DEG, resolveOptions, type RotationOptions, type RotationQuestion } from './task';

export type PromptVariant = 'full' | 'compact';

export const ANSWER_FORMAT = '<think> reasoning </think><answer> answer </answer>';

export function rotationPrompt(source: RotationQuestion | Partial<RotationOptions> = {}, { variant = 'full' }: { variant?: PromptVariant } = {}): string {
  const { classes, example } = promptSetting(source);
  const options = pyList(classes);
  const [before, after] = example ? [3, 4] : [1, 2];

  if (variant === 'compact') {
    return [
      example ? `Image 1 to image 2: the object turns ${EXAMPLE_ANGLE_DEG} degrees in the image plane.` : null,
      `Image ${before} to image ${after}: by what angle does the object turn in the image plane?`,
      `Options: ${options}`,
      `Format: ${ANSWER_FORMAT}`,
    ]
      .filter((l): l is string => l !== null)
      .join('\n');
  }
  if (variant !== 'full') throw new Error(`rotationPrompt: unknown variant '${String(variant)}'; valid: 'full', 'compact'`);

  const intro = example
    ? [
        'You are given four images of objects built from coloured cubes.',
        `Images 1 and 2 are a solved example: image 2 shows the object of image 1 after a rotation of ${EXAMPLE_ANGLE_DEG} degrees in the image plane, that is, about the axis pointing straight at the viewer.`,
        'Images 3 and 4 are the question: image 4 shows the object of image 3 after a rotation about that same axis.',
      ]
    : [
        'You are given two images of an object built from coloured cubes.',
        'Image 2 shows the object of image 1 after a rotation in the image plane, that is, about the axis pointing straight at the viewer.',
      ];
  return [
    ...intro,
    'The camera and the light do not move, so the shading of a face may change; judge by shape and colour.',
    `What is the rotation angle from image ${before} to image ${after}, in the image plane?`,
    '',
    'Ways to work it out:',
    `1. Coordinate transform: choose a feature point (a corner, or a cube of a distinctive colour) and write its position (x, y) relative to the image centre, x to the right and y up, in image ${before} and in image ${after}. A counter-clockwise quarter turn maps (x, y) to (-y, x), a clockwise quarter turn to (y, -x), a half turn to (-x, -y).`,
    '2. Line angle: draw a line from the centre to a feature in both images and measure how far its direction has turned.',
    "3. Symmetry axes: find the object's main axis (its longest extent, or the line through two coloured parts) and compare where it points before and after.",
    "4. Triangle orientation: join three features into a triangle; a rotation keeps the triangle's shape and the clockwise order of its corners, so see which way, and how far, it has turned.",
    '5. Polar angles: measure the polar angle of several features around the centre in both images; in a rotation they all change by the same amount.',
    '',
    `Options: ${options}`,
    'Clockwise and counter-clockwise are as seen by the viewer.',
    '',
    'Reason step by step inside <think> </think>, then write exactly one option, as written above, inside <answer> </answer>:',
    ANSWER_FORMAT,
  ].join('\n');
}

/** A Python list literal of strings, as `str(list)` prints it: ['counter clockwise 90', '180']. */
export function pyList(items: readonly string[]): string {
  return `[${items.map(pyStringRepr).join(', ')}]`;
}

/** Python's `repr` of a str, for the printable characters class labels use. */
function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

function promptSetting(source: RotationQuestion | Partial<RotationOptions>): { classes: readonly string[]; example: boolean } {
  if ('answer' in source && 'object' in source) {
    return { classes: source.classes, example: source.example !== undefined };
  }
  const o = resolveOptions(source as Partial<RotationOptions>);
  return { classes: o.classes, example: o.example };
}
