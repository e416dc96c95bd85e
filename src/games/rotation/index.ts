/** The Rotation game: seeded polycube objects, their renderer, the environment, prompts and reward. */
export {
  generateObject,
  growCandidate,
  hasInPlaneSymmetry,
  inPlaneDifference,
  partShares,
  makeObject,
  PALETTE,
  ASYMMETRY_THRESHOLD,
  MIN_PART_SHARE,
  type RotObject,
  type RotCube,
  type RotPart,
  type ObjectOptions,
} from './object';
export {
  renderObject,
  projectFaces,
  DEFAULT_TILT_DEG,
  DEFAULT_YAW_DEG,
  DEFAULT_LIGHT,
  BACKGROUND,
  type View,
  type RenderStyle,
  type ProjectedFace,
  type Vec3,
} from './render3d';
export {
  RotationEnv,
  rotationQuestion,
  rotationQuestionKey,
  rotationScenes,
  classAngle,
  resolveOptions,
  ROTATION_CLASS_SETS,
  DEFAULT_ROTATION_OPTIONS,
  EXAMPLE_ANGLE_DEG,
  type RotationOptions,
  type RotationQuestion,
  type RotationAction,
  type RotationStep,
  type RotationStepInfo,
} from './task';
export { rotationPrompt, pyList, ANSWER_FORMAT, type PromptVariant } from './prompt';
export { scoreRotation, extractAnswer, FORMAT_REWARD, ACCURACY_REWARD, type RotationVerdict } from './reward';
