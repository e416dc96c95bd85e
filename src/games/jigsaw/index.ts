/**
 * The Jigsaw game (Jigsaw-R1, AGILE): seeded procedural pictures cut into a 2 x 2 or 3 x 3 grid and
 * shuffled; name the permutation that restores the picture. A question game shaped like Rotation, with
 * everything a game registry needs: question generator, key, truth, prompts, scene, verifier, parse,
 * streams (held-out, training, export, watch), trace, export record, bots. The human play view is
 * `./ui/Play.tsx` (React; not exported here, so this module stays DOM-free).
 */
export {
  generatePicture,
  growPicture,
  painter,
  pictureColorAt,
  pictureIds,
  minTileDifference,
  tilesDistinct,
  gradientColor,
  GRADIENTS,
  SHAPE_COLORS,
  GRADIENT_LEVELS,
  DISTINCT_SAMPLES,
  MIN_TILE_DIFFERENCE,
  type JigsawPicture,
  type JigsawShape,
  type JigsawBand,
  type PicturePainter,
} from './picture';
export {
  JigsawEnv,
  jigsawQuestion,
  jigsawQuestionKey,
  jigsawScene,
  jigsawScenes,
  jigsawSolvedScene,
  arrangedScene,
  tiledScene,
  answerOf,
  formatPermutation,
  isPermutation,
  resolveOptions,
  JIGSAW_GRIDS,
  JIGSAW_IMAGE_SIZES,
  DEFAULT_JIGSAW_OPTIONS,
  type JigsawGrid,
  type JigsawOptions,
  type JigsawQuestion,
  type JigsawAction,
  type JigsawStep,
  type JigsawStepInfo,
} from './task';
export { jigsawPrompt, answerFormat, EXAMPLE_ANSWERS, type PromptVariant } from './prompt';
export { scoreJigsaw, parsePermutation, extractJigsawAnswer, tilesInPlace, FORMAT_REWARD, ACCURACY_REWARD, MAX_DIGITS, type JigsawVerdict } from './reward';
export { jigsawTrace, type JigsawTrace } from './trace';
export { JIGSAW_BOTS, JIGSAW_BOT_NAMES, jigsawBotResponse, type JigsawBot, type JigsawBotName } from './bots';
export {
  jigsawRecord,
  jigsawGroundTruth,
  jigsawStateHash,
  jigsawPerfectResponse,
  JIGSAW_DATA_SOURCE,
  JIGSAW_IMAGE_PLACEHOLDER,
  type JigsawGroundTruth,
  type JigsawSampleRecord,
  type JigsawRecordOptions,
} from './record';
export { jigsawHeldOutSeeds, jigsawHeldOut, jigsawTrainSeed, jigsawSftHeldOutSeed, jigsawExportSeed, jigsawWatchSeed } from './streams';
export { startPlay, pick, moveFocus, humanResponse, positionLabel, type PlayState } from './play';
export { jigsawGame, jigsawScenesAt, DEFAULT_JIGSAW_SETTINGS, type JigsawSettings } from './game';
