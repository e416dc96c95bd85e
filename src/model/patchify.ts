/**
 * RGBA rasters -> the model's `patches` input, shared by the trainer and the runtime so both see the
 * same numbers.
 *
 * Order (config.ts): images in prompt order; within an image, patches row-major over the patch grid
 * (top row of patches first, left to right); within a patch, values row-major (py, px, channel) with
 * channels R, G, B (alpha dropped). Values are scaled to [0, 1]: v / 255 (the shipped checkpoints were
 * trained on this scale; the patch embedding's bias absorbs the offset a centred scale would remove).
 *
 * Output: Float32Array [numImages * patchesPerImage, patchDim], i.e. one row of `patches` [1, P, patchDim].
 */
import { patchDim, patchesPerImage, rastersFor, type ModelConfig } from './config';

/** The structural shape of render/raster.ts's Raster (model/ may not import render/). */
export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA bytes, rows top to bottom, no padding. */
  data: ArrayLike<number>;
}

/** Pixel value -> model input. */
export const normalizePixel = (v: number): number => v / 255;

export function patchify(config: ModelConfig, images: readonly RgbaImage[]): Float32Array {
  if (images.length > config.maxImages) {
    throw new Error(`patchify: ${images.length} images, but config '${config.name}' takes at most maxImages=${config.maxImages}`);
  }
  const rasters = composeImages(config, images);
  const ps = config.patchSize;
  const side = config.imageSize / ps; // patches per row
  const pd = patchDim(config);
  const out = new Float32Array(rasters.length * patchesPerImage(config) * pd);
  let o = 0;
  rasters.forEach((img, n) => {
    const px = sampler(config, img, n);
    for (let gy = 0; gy < side; gy++) {
      for (let gx = 0; gx < side; gx++) {
        for (let y = 0; y < ps; y++) {
          for (let x = 0; x < ps; x++) {
            const [r, g, b] = px(gx * ps + x, gy * ps + y);
            out[o++] = normalizePixel(r);
            out[o++] = normalizePixel(g);
            out[o++] = normalizePixel(b);
          }
        }
      }
    }
  });
  return out;
}

/**
 * A pixel reader at the config's resolution. An image exactly imageSize square is read directly; an
 * integer multiple (a raster rendered at 2x for display) is box-filtered down; anything else is refused,
 * since a silent resample would give the model inputs it never trained on.
 */
function sampler(config: ModelConfig, img: RgbaImage, index: number): (x: number, y: number) => [number, number, number] {
  const s = config.imageSize;
  if (img.width !== img.height || img.width % s !== 0 || img.data.length !== img.width * img.height * 4) {
    throw new Error(
      `patchify: image ${index} is ${img.width}x${img.height} with ${img.data.length} bytes; expected RGBA ` +
        `${s}x${s} (config.imageSize) or an integer multiple of it`,
    );
  }
  const f = img.width / s;
  const d = img.data;
  if (f === 1) {
    return (x, y) => {
      const i = (y * s + x) * 4;
      return [d[i] as number, d[i + 1] as number, d[i + 2] as number];
    };
  }
  return (x, y) => {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let dy = 0; dy < f; dy++) {
      for (let dx = 0; dx < f; dx++) {
        const i = ((y * f + dy) * img.width + x * f + dx) * 4;
        r += d[i] as number;
        g += d[i + 1] as number;
        b += d[i + 2] as number;
      }
    }
    const n = f * f;
    return [r / n, g / n, b / n];
  };
}

/** Number of patch rows `patchify` gives for `numImages` images. */
export const numPatches = (config: ModelConfig, numImages: number): number => rastersFor(config, numImages) * patchesPerImage(config);

/**
 * The rasters the patches are cut from. Without an image grid (config.imageGrid absent or 1), or for a
 * single image, the images themselves. With a grid g, every g x g images are tiled row-major into one
 * imageSize raster: image k goes to cell (k mod g, floor(k / g)), box-filtered from its own size (an
 * integer multiple of the cell, imageSize / g) and rounded to whole 0-255 values, so the composite is
 * an ordinary 8-bit image that a GPU trainer can be given as bytes (scripts/gpu/dump-*.ts) and see the
 * very values the runtime feeds. Cells with no image stay black.
 */
export function composeImages(config: ModelConfig, images: readonly RgbaImage[]): RgbaImage[] {
  const g = config.imageGrid ?? 1;
  if (g === 1 || images.length <= 1) return [...images];
  const s = config.imageSize;
  const cell = s / g;
  const out: RgbaImage[] = [];
  for (let first = 0; first < images.length; first += g * g) {
    const data = new Uint8ClampedArray(s * s * 4);
    for (let i = 3; i < data.length; i += 4) data[i] = 255;
    images.slice(first, first + g * g).forEach((img, k) => {
      const index = first + k;
      if (img.width !== img.height || img.width % cell !== 0 || img.data.length !== img.width * img.height * 4) {
        throw new Error(
          `patchify: image ${index} is ${img.width}x${img.height} with ${img.data.length} bytes; a grid cell of ` +
            `config '${config.name}' needs RGBA ${cell}x${cell} (imageSize / imageGrid) or an integer multiple of it`,
        );
      }
      const f = img.width / cell;
      const x0 = (k % g) * cell;
      const y0 = Math.floor(k / g) * cell;
      const d = img.data;
      for (let y = 0; y < cell; y++) {
        for (let x = 0; x < cell; x++) {
          let r = 0;
          let gr = 0;
          let b = 0;
          for (let dy = 0; dy < f; dy++) {
            for (let dx = 0; dx < f; dx++) {
              const i = ((y * f + dy) * img.width + x * f + dx) * 4;
              r += d[i] as number;
              gr += d[i + 1] as number;
              b += d[i + 2] as number;
            }
          }
          const o = ((y0 + y) * s + x0 + x) * 4;
          const n = f * f;
          data[o] = Math.round(r / n);
          data[o + 1] = Math.round(gr / n);
          data[o + 2] = Math.round(b / n);
        }
      }
    });
    out.push({ width: s, height: s, data });
  }
  return out;
}
