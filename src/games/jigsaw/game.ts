/**
 * Jigsaw in one object, for the game registry (src/games/registry.ts, being written in parallel): every
 * per-game fact the registry asks for, named plainly, so that wiring Jigsaw is one registry entry that
 * maps these fields onto its `Game` interface. Pure and DOM-free; the play view is ./ui/JigsawPlay.tsx.
 */
import type { Rng } from '../../util/rng';
import type { Scene } from '../../render/scene';
import { jigsawBotResponse, JIGSAW_BOT_NAMES, type JigsawBotName } from './bots';
import { jigsawPrompt, type PromptVariant } from './prompt';
import { jigsawGroundTruth, jigsawRecord, JIGSAW_DATA_SOURCE, type JigsawGroundTruth, type JigsawRecordOptions, type JigsawSampleRecord } from './record';
import { parsePermutation, scoreJigsaw, type JigsawVerdict } from './reward';
import { jigsawExportSeed, jigsawHeldOutSeeds, jigsawSftHeldOutSeed, jigsawTrainSeed, jigsawWatchSeed } from './streams';
import { DEFAULT_JIGSAW_OPTIONS, JIGSAW_IMAGE_SIZES, jigsawQuestion, jigsawQuestionKey, jigsawScenes, type JigsawOptions, type JigsawQuestion } from './task';
import { jigsawTrace } from './trace';

export interface JigsawGameDescriptor {
  id: 'jigsaw';
  label: string;
  dataSource: string;
  defaultOptions: JigsawOptions;
  imageSizes: typeof JIGSAW_IMAGE_SIZES;
  /** The question of a seed (pure). */
  question: (seed: number, opts?: Partial<JigsawOptions>) => JigsawQuestion;
  /** Disjointness key of a question (training vs held-out). */
  key: (q: JigsawQuestion) => string;
  /** The ground truth the export writes and the rewards read. */
  truth: (q: JigsawQuestion) => JigsawGroundTruth;
  promptVariants: readonly PromptVariant[];
  prompt: (q: JigsawQuestion, variant: PromptVariant) => string;
  /** The images shown to the model, in prompt order (one). */
  scenes: (q: JigsawQuestion, size: number) => Scene[];
  /** The verifier (ViGaL's 0 / 0.1 / 1 / 1.1), never throwing. */
  score: (response: string, q: JigsawQuestion) => JigsawVerdict;
  /** The answer read from a response's answer text (null when malformed). */
  parse: (answerText: string) => number[] | null;
  /** Question seeds per use (held-out, training, SFT held-out, export, Watch). */
  seeds: {
    heldOut: (n: number, seed: number) => number[];
    train: (seed: number, i: number) => number;
    sftHeldOut: (seed: number, i: number) => number;
    export: (seed: number, i: number) => number;
    watch: (seed: number, i: number) => number;
  };
  /** The solver's worked response, for supervised data. */
  trace: (q: JigsawQuestion) => string;
  /** A dataset sample (plain data). */
  record: (q: JigsawQuestion, o: JigsawRecordOptions) => JigsawSampleRecord;
  bots: readonly JigsawBotName[];
  /** A bot's response text and the permutation it chose. */
  botAnswer: (bot: JigsawBotName, q: JigsawQuestion, rng: Rng) => { text: string; action: number[] };
}

export const jigsawGame: JigsawGameDescriptor = {
  id: 'jigsaw',
  label: 'Jigsaw',
  dataSource: JIGSAW_DATA_SOURCE,
  defaultOptions: DEFAULT_JIGSAW_OPTIONS,
  imageSizes: JIGSAW_IMAGE_SIZES,
  question: (seed, opts) => jigsawQuestion(seed, opts),
  key: jigsawQuestionKey,
  truth: jigsawGroundTruth,
  promptVariants: ['full', 'compact'],
  prompt: (q, variant) => jigsawPrompt(q, { variant }),
  scenes: (q, size) => jigsawScenes(q, size),
  score: (response, q) => scoreJigsaw(response, q.answer),
  parse: parsePermutation,
  seeds: { heldOut: jigsawHeldOutSeeds, train: jigsawTrainSeed, sftHeldOut: jigsawSftHeldOutSeed, export: jigsawExportSeed, watch: jigsawWatchSeed },
  trace: (q) => jigsawTrace(q).response,
  record: jigsawRecord,
  bots: JIGSAW_BOT_NAMES,
  botAnswer: jigsawBotResponse,
};
