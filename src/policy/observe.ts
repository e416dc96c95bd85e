/**
 * The standard observations: what a model is shown for a position. 'full' is the ViGaL interface
 * (full prompt, board with axes / 256 px object views), for real VLMs and for bots' records; 'compact' is
 * the nano model's (short prompt, small rasters without axes) at the image size its config names.
 */
import { snakePrompt, snakeScene } from '../games/snake';
import { rotationPrompt, rotationScenes } from '../games/rotation';
import { rasterize } from '../render/raster';
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
