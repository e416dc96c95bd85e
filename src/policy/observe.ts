/**
 * The standard observations: what a model is shown for a position. 'full' is the ViGaL interface
 * (full prompt, board with axes / 320 px object views), for real VLMs and for bots' records; 'compact' is
 * the nano model's (short prompt, small rasters without axes) at the image size its config names.
 */
import { gameOf } from '../games/registry';
import { rasterize } from '../render/raster';
import type { ObservationMode } from '../records/types';
import type { Observation, Position } from './types';

export interface ObserveOptions {
  variant: 'full' | 'compact';
  /** Image side in pixels. */
  imageSize: number;
  /** Draw the axis ticks (Snake; other games ignore it) (ViGaL's look) or fill the image with the board (nano input). */
  axes?: boolean;
}

export const FULL_OBSERVATION: ObserveOptions = { variant: 'full', imageSize: 320, axes: true };

export function observe(position: Position, opts: ObserveOptions): Observation {
  const game = gameOf(position.game);
  const scenes = game.scenes(position.state, { size: opts.imageSize, axes: opts.axes ?? opts.variant === 'full' });
  return { ...position, prompt: game.prompt(position.state, opts.variant), images: scenes.map((s) => rasterize(s)) };
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

/** The prompt without the position's text (each game says which lines state it; Rotation's states none). */
export function imageOnlyPrompt(obs: Observation): string {
  return gameOf(obs.game).imageOnlyPrompt(obs.prompt);
}
