/**
 * The standard observations: what a model is shown for a position. 'full' is the ViGaL interface
 * (full prompt, board with axes / 320 px object views), for real VLMs and for bots' records; 'compact' is
 * the nano model's (short prompt, small rasters without axes) at the image size its config names.
 */
import { snakePrompt, snakeScene } from '../games/snake';
import { rotationPrompt, rotationScenes } from '../games/rotation';
import { rasterize } from '../render/raster';
import type { ObservationMode } from '../records/types';
import type { Observation, Position } from './types';

export interface ObserveOptions {
  variant: 'full' | 'compact';
  /** Image side in pixels. */
  imageSize: number;
  /** Snake: draw the axis ticks (ViGaL's look) or fill the image with the board (nano input). */
  axes?: boolean;
}

export const FULL_OBSERVATION: ObserveOptions = { variant: 'full', imageSize: 320, axes: true };

export function observe(position: Position, opts: ObserveOptions): Observation {
  if (position.game === 'snake') {
    const scene = snakeScene(position.state, { size: opts.imageSize, axes: opts.axes ?? opts.variant === 'full' });
    return { ...position, prompt: snakePrompt(position.state, { variant: opts.variant }), images: [rasterize(scene)] };
  }
  return {
    ...position,
    prompt: rotationPrompt(position.state, { variant: opts.variant }),
    images: rotationScenes(position.state, opts.imageSize).map((s) => rasterize(s)),
  };
}

/**
 * What a policy is shown under an observation mode (the modality-gap ablation, docs/games.md): the
 * policy builds its usual observation, then this keeps the image and the text ('image+text', default),
 * drops the images ('text'), or drops the position from the text ('image': the rules, the goal and the
 * answer format stay, every coordinate of snakes and apples and the last move go, so the board must be
 * read from the image). Applied on the watch path after `policy.observe`, so no policy forks for it.
 */
export function withObservationMode(obs: Observation, mode: ObservationMode): Observation {
  if (mode === 'image+text') return obs;
  if (mode === 'text') return { ...obs, images: [] };
  return { ...obs, prompt: imageOnlyPrompt(obs) };
}

/** Lines that state the position: the 'Current board:' block of the full prompt, four compact lines. */
const COMPACT_POSITION_LINE = /^(You|Enemy|Apples|Last move):/;

/** The prompt without the position's text (Rotation's prompt states no position: unchanged). */
export function imageOnlyPrompt(obs: Observation): string {
  if (obs.game === 'rotation') return obs.prompt;
  const out: string[] = [];
  let inBoard = false;
  for (const line of obs.prompt.split('\n')) {
    if (line === 'Current board:') {
      inBoard = true;
      continue;
    }
    if (inBoard) {
      if (line.startsWith('- ')) continue;
      inBoard = false;
      if (line === '') continue; // the blank line after the block
    }
    if (COMPACT_POSITION_LINE.test(line)) continue;
    out.push(line.replace(' and check them against the coordinates above', ''));
  }
  return out.join('\n');
}
