/**
 * The Rotation game (ViGaL's second surrogate task) as a one-step, bandit-style environment.
 *
 * Rules: two views of one 3-D object; the second is the first turned in the image plane (about the axis
 * pointing at the viewer) by one of the class angles. Name the angle.
 * Actions: one class label (e.g. 'counter clockwise 90'), or a full model response with
 *   `<think>...</think><answer>label</answer>` tags.
 * Observation: a `RotationQuestion` (plain JSON); `rotationScenes` draws its images, in order
 *   [example before, example after (180), test before, test after] or just the test pair.
 * Reward: a response is scored by `scoreRotation` (0, 0.1, 1 or 1.1, ViGaL's values); a bare label
 *   scores 1 if it is the answer, else 0 (there is no format to reward).
 * Episode end: after the single step (terminated); never truncated.
 */
import type { Scene } from '../../render/scene';
import { Rng } from '../../util/rng';
import { generateObject, type RotObject } from './object';
import { renderObject } from './render3d';
import { scoreRotation, type RotationVerdict } from './reward';

/** Angles in degrees, counter-clockwise positive as seen by the viewer. */
const CLASS_ANGLES: ReadonlyMap<string, number> = new Map([
  ['counter clockwise 90', 90],
  ['clockwise 90', 270],
  ['180', 180],
]);

export const ROTATION_CLASS_SETS = {
  /** ViGaL's released prompt lists exactly these two options. */
  default: ['counter clockwise 90', '180'],
  /** The paper's text says clockwise; same difficulty, other direction. */
  clockwise: ['clockwise 90', '180'],
  /** The harder variant ViGaL found too hard for a 7B model. */
  three: ['clockwise 90', 'counter clockwise 90', '180'],
} as const satisfies Record<string, readonly string[]>;

/** The in-context example pair always shows this turn (ViGaL's images 1-2). */
export const EXAMPLE_ANGLE_DEG = 180;

export interface RotationOptions {
  /** Option strings, as the prompt lists them and the answer tag must contain them. */
  classes: readonly string[];
  /** Prepend an in-context example pair (a 180 degree turn of another object) as images 1-2. */
  example: boolean;
  /** Side of each image in pixels (ViGaL used 512). */
  imageSize: number;
  /** The base pose gets an in-plane jitter drawn from {0, step, 2 step, ...} below 360. */
  jitterStepDeg: number;
}

export const DEFAULT_ROTATION_OPTIONS: RotationOptions = {
  classes: [...ROTATION_CLASS_SETS.default],
  example: true,
  imageSize: 256,
  jitterStepDeg: 30,
};

/** Everything needed to redraw and grade one question; plain JSON. */
export interface RotationQuestion {
  seed: number;
  /** The options offered, in prompt order. */
  classes: string[];
  object: RotObject;
  /** In-plane roll of the first test image (degrees, ccw). */
  baseRollDeg: number;
  /** The correct class label. */
  answer: string;
  /** `classAngle(answer)`: the second test image is rolled by this much more. */
  angleDeg: number;
  example?: { object: RotObject; baseRollDeg: number };
}

/** Counter-clockwise angle in [0, 360) of a class label. */
export function classAngle(label: string): number {
  const a = CLASS_ANGLES.get(label);
  if (a === undefined) {
    throw new Error(`Rotation: unknown class '${label}'; valid classes: ${[...CLASS_ANGLES.keys()].map((k) => `'${k}'`).join(', ')}`);
  }
  return a;
}

export function resolveOptions(opts: Partial<RotationOptions> = {}): RotationOptions {
  const o: RotationOptions = { ...DEFAULT_ROTATION_OPTIONS, ...opts, classes: [...(opts.classes ?? DEFAULT_ROTATION_OPTIONS.classes)] };
  if (o.classes.length < 2) throw new Error(`Rotation: need at least 2 classes, got [${o.classes.join(', ')}]`);
  const angles = o.classes.map(classAngle);
  if (new Set(angles).size !== angles.length) throw new Error(`Rotation: classes must be distinct angles, got [${o.classes.join(', ')}]`);
  if (!(Number.isInteger(o.jitterStepDeg) && o.jitterStepDeg > 0 && 360 % o.jitterStepDeg === 0)) {
    throw new Error(`Rotation: jitterStepDeg must be a positive integer dividing 360 (e.g. 30, 90, 360), got ${o.jitterStepDeg}`);
  }
  if (!(Number.isInteger(o.imageSize) && o.imageSize >= 16)) throw new Error(`Rotation: imageSize must be an integer >= 16, got ${o.imageSize}`);
  return o;
}

/** The pure question generator behind `RotationEnv.reset`: same seed and options, same question. */
export function rotationQuestion(seed: number, opts: Partial<RotationOptions> = {}): RotationQuestion {
  const o = resolveOptions(opts);
  const rng = new Rng(seed);
  // Independent streams, so switching the example pair on or off leaves the test pair unchanged.
  const testRng = rng.fork();
  const exampleRng = rng.fork();
  const object = generateObject(testRng);
  const baseRollDeg = o.jitterStepDeg * testRng.int(360 / o.jitterStepDeg);
  const answer = testRng.pick(o.classes);
  const q: RotationQuestion = { seed, classes: [...o.classes], object, baseRollDeg, answer, angleDeg: classAngle(answer) };
  if (o.example) {
    q.example = { object: generateObject(exampleRng), baseRollDeg: o.jitterStepDeg * exampleRng.int(360 / o.jitterStepDeg) };
  }
  return q;
}

/**
 * The question's identity: the test pair and the answer (object, first roll, answer, classes), as a
 * string. The example pair is left out: it is drawn from its own stream, so the same seed gives the
 * same test question with or without it, and the two are the same question to the model. Used to keep
 * training prompts out of held-out sets (the Snake counterpart is snakeStateKey).
 */
export function rotationQuestionKey(q: RotationQuestion): string {
  return JSON.stringify([q.classes, q.object, q.baseRollDeg, q.answer]);
}

/** The question's images, in prompt order: [ex before, ex after, test before, test after] or the test pair. */
export function rotationScenes(q: RotationQuestion, size: number = DEFAULT_ROTATION_OPTIONS.imageSize): Scene[] {
  const pair = (object: RotObject, roll: number, turn: number): Scene[] => [
    renderObject(object, { rollDeg: roll, size }),
    renderObject(object, { rollDeg: (roll + turn) % 360, size }),
  ];
  const test = pair(q.object, q.baseRollDeg, q.angleDeg);
  return q.example ? [...pair(q.example.object, q.example.baseRollDeg, EXAMPLE_ANGLE_DEG), ...test] : test;
}

export type RotationAction = string | { label: string } | { response: string };

export interface RotationStepInfo {
  correct: boolean;
  answer: string;
  /** The reward's parts when the action was a response; absent for a bare label. */
  verdict?: RotationVerdict;
}

export interface RotationStep {
  state: RotationQuestion;
  reward: number;
  terminated: true;
  truncated: false;
  info: RotationStepInfo;
}

/** Gymnasium-shaped wrapper: `reset(seed)` draws a question, `step(action)` grades it and ends the episode. */
export class RotationEnv {
  readonly options: RotationOptions;
  private state: RotationQuestion | null = null;
  private done = true;

  constructor(opts: Partial<RotationOptions> = {}) {
    this.options = resolveOptions(opts);
  }

  reset(seed: number): { state: RotationQuestion; info: { seed: number; classes: string[] } } {
    this.state = rotationQuestion(seed, this.options);
    this.done = false;
    return { state: this.state, info: { seed, classes: [...this.options.classes] } };
  }

  /**
   * A plain string that is exactly one of the classes is a label; any other string is a model response.
   * Pass `{ response }` to force response scoring (a bare '180' from a model then scores 0, as in ViGaL).
   */
  step(action: RotationAction): RotationStep {
    if (this.state === null) throw new Error('RotationEnv.step: call reset(seed) first');
    if (this.done) throw new Error('RotationEnv.step: the episode has terminated (one step per question); call reset(seed)');
    const state = this.state;
    this.done = true;
    const isLabel = typeof action === 'string' ? state.classes.includes(action) : 'label' in action;
    if (isLabel) {
      const label = typeof action === 'string' ? action : (action as { label: string }).label;
      const correct = label === state.answer;
      return { state, reward: correct ? 1 : 0, terminated: true, truncated: false, info: { correct, answer: state.answer } };
    }
    const response = typeof action === 'string' ? action : (action as { response: string }).response;
    const verdict = scoreRotation(response, state.answer);
    return {
      state,
      reward: verdict.overall,
      terminated: true,
      truncated: false,
      info: { correct: verdict.accuracy === 1, answer: state.answer, verdict },
    };
  }

  /** The current question's images (see `rotationScenes`). */
  render(): Scene[] {
    if (this.state === null) throw new Error('RotationEnv.render: call reset(seed) first');
    return rotationScenes(this.state, this.options.imageSize);
  }
}
