/** Rotation as a registered game (games/game.ts): a question game, one seeded question per seed. */
import { questionSeedKey, type QuestionGame, type ReportTally } from '../game';
import { deriveSeed } from '../../util/rng';
import { streamSeed } from '../../util/streams';
import { rotationPrompt } from './prompt';
import { extractAnswer, scoreRotation } from './reward';
import type { RotObject } from './object';
import { rotationTrace, traceable } from './trace';
import { ROTATION_CLASS_SETS, rotationQuestion, rotationQuestionKey, rotationScenes, type RotationQuestion } from './task';

export type RotationClassSet = keyof typeof ROTATION_CLASS_SETS;
export const ROTATION_CLASS_SET_NAMES = Object.keys(ROTATION_CLASS_SETS) as RotationClassSet[];

/** What a Rotation question is asked under (the URL's `classes` and `example`). */
// A type, not an interface: settings travel as plain records (URL links, export options).
export type RotationSettings = {
  /** A key of ROTATION_CLASS_SETS: 'default' is ViGaL's two options. */
  classSet: RotationClassSet;
  example: boolean;
};

const isClassSet = (name: string | null | undefined): name is RotationClassSet => (ROTATION_CLASS_SET_NAMES as string[]).includes(name ?? '');

/** The class set a question was asked over ('default' when its classes are no registered set). */
export function classSetOf(classes: readonly string[]): RotationClassSet {
  return ROTATION_CLASS_SET_NAMES.find((key) => ROTATION_CLASS_SETS[key].join('|') === classes.join('|')) ?? 'default';
}

/** The question seeds of the held-out set (cheap: no question is drawn), for excluding them from training. */
export function heldOutRotationSeeds(n: number, seed: number): number[] {
  const base = streamSeed(seed, 'heldOut');
  return Array.from({ length: n }, (_, i) => deriveSeed(base, i));
}

/** A Rotation object's identity: its cubes and parts, not its pose. */
export const rotationObjectKey = (object: RotObject): string => JSON.stringify(object);

/** confusion[truth][answer] counts; answers outside the classes under '(other)'. */
function confusionTally(): ReportTally<RotationQuestion, string> {
  const confusion: Record<string, Record<string, number>> = {};
  return {
    add(verdict, truth, q) {
      const row = (confusion[truth] ??= {});
      const said = verdict.action !== null && q.classes.includes(verdict.action) ? verdict.action : '(other)';
      row[said] = (row[said] ?? 0) + 1;
    },
    fields: () => ({ confusion }),
  };
}

/** Rotation's exported truth: the exact option string; seed and setting regenerate the question. */
export interface RotationGroundTruth {
  game: 'rotation';
  answer: string;
  seed?: number;
  classes?: string[];
  example?: boolean;
}

export const rotationGame: QuestionGame<RotationQuestion, string, RotationSettings, RotationGroundTruth> = {
  id: 'rotation',
  title: 'Rotation',
  blurb: 'Two views of one object; name the in-plane rotation angle.',
  playKeys: [
    { keys: ['1', '2', '3'], does: 'answer' },
    { keys: ['Enter'], does: 'next question (or N)' },
  ],
  kind: 'question',
  dataSource: 'vigal/rotation',
  defaultImageSize: 256,
  // ViGaL's 512 px.
  exportRender: { imageSize: 512 },
  exportStream: 'exportRotation',
  // Four 512 px renders a question: a small unit of work.
  exportChunk: 8,
  watchStream: 'watchRotation',

  settings: {
    default: { classSet: 'default', example: true },
    choices: { classes: ROTATION_CLASS_SET_NAMES },
    parse: (get) => ({ classSet: isClassSet(get('classes')) ? (get('classes') as RotationClassSet) : 'default', example: get('example') !== '0' }),
    format: (o) => ({ ...(o.classSet !== 'default' ? { classes: o.classSet } : {}), ...(o.example ? {} : { example: '0' }) }),
    of: (q) => ({ classSet: classSetOf(q.classes), example: q.example !== undefined }),
  },
  question: (seed, o) => rotationQuestion(seed, { classes: [...ROTATION_CLASS_SETS[o.classSet]], example: o.example }),
  options: (q) => q.classes,
  // The question pair, not the worked example.
  view: { last: 2, captions: ['Before', 'After'] },
  ask: (_q, images) => `By how much was the object turned in the image plane, from image ${images - 1} to image ${images}?`,

  parseState(json) {
    if (typeof json !== 'object' || json === null || typeof (json as { seed?: unknown }).seed !== 'number') {
      throw new Error(`Rotation state must be a question object with a numeric 'seed'; got ${JSON.stringify(json)?.slice(0, 80)}`);
    }
    return json as RotationQuestion;
  },
  stateKey: rotationQuestionKey,
  // The seed fixes the question; the object is excluded however it is turned or asked (the test object only:
  // the example pair is another object, shown as a worked example).
  exclusionKeys: (q) => [questionSeedKey(q.seed), `object:${rotationObjectKey(q.object)}`],
  heldOutVariants: { classes: ROTATION_CLASS_SET_NAMES },
  heldOut(n, seed, set = {}) {
    if (set.classes !== undefined && !isClassSet(set.classes))
      throw new Error(`heldOutPositions: unknown class set '${set.classes}'; valid: ${ROTATION_CLASS_SET_NAMES.join(', ')}`);
    const classes = [...ROTATION_CLASS_SETS[(set.classes as RotationClassSet | undefined) ?? 'default']];
    return heldOutRotationSeeds(n, seed).map((questionSeed) => rotationQuestion(questionSeed, { classes }));
  },

  truth: (q) => q.answer,
  parseTruth(json) {
    if (typeof json === 'string') return json;
    if (typeof json === 'object' && json !== null && typeof (json as { answer?: unknown }).answer === 'string') return (json as { answer: string }).answer;
    throw new Error('rotation truth must be the answer string or {"answer": "..."}');
  },
  score(response, answer) {
    const v = scoreRotation(response, answer);
    return { ...v, action: v.answerText };
  },
  parse: extractAnswer,
  truthText: (answer) => answer,
  perfectResponse: (answer) => `<think>ground truth</think><answer>${answer}</answer>`,
  handResponse: (answer) => `<think>Chosen by hand.</think><answer>${answer}</answer>`,

  prompt: (q, variant) => rotationPrompt(q, { variant }),
  scenes: (q, opts) => rotationScenes(q, opts.size),
  // The prompt states no position: the image-only ablation leaves it unchanged.
  imageOnlyPrompt: (prompt) => prompt,
  tally: confusionTally,
  trace: (q) => (traceable(q) ? rotationTrace(q).response : null),
  bots: {
    random: (q, rng) => {
      const action = rng.pick(q.classes);
      return { action, text: `<think>A uniform guess among ${q.classes.length} options.</think><answer>${action}</answer>` };
    },
  },

  exportTruth: (q, answer, seed) => ({ game: 'rotation', answer, seed, classes: q.classes, example: q.example !== undefined }),
  parseExportTruth(t) {
    if (typeof t['answer'] !== 'string') throw new Error(`rotation ground truth 'answer' must be a string; got ${JSON.stringify(t['answer'])}`);
    const truth: RotationGroundTruth = { game: 'rotation', answer: t['answer'] };
    if (typeof t['seed'] === 'number') truth.seed = t['seed'];
    if (Array.isArray(t['classes'])) truth.classes = t['classes'] as string[];
    if (typeof t['example'] === 'boolean') truth.example = t['example'];
    return truth;
  },
  truthOfExport: (e) => e.answer,
  stateOfExport: (e) =>
    e.seed === undefined ? null : rotationQuestion(e.seed, { classes: e.classes ?? [...ROTATION_CLASS_SETS.default], example: e.example ?? true }),
  // What the model is shown and must answer (objects, poses, answer), without the seed; long, so the export hashes it.
  exportKey: (q) => JSON.stringify({ classes: q.classes, object: q.object, baseRollDeg: q.baseRollDeg, answer: q.answer, example: q.example ?? null }),
  hashExportKey: true,
};
