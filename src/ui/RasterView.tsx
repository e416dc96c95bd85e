/** Shows a raster (the pixels a model receives) on a canvas, scaled up without smoothing. */
import { useEffect, useRef } from 'react';
import type { Raster } from '../render/raster';

interface Props {
  raster: Raster;
  scale?: number;
  label: string;
}

export function RasterView({ raster, scale = 2, label }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(raster.data), raster.width, raster.height), 0, 0);
  }, [raster]);
  return (
    <canvas
      ref={canvas}
      className={scale > 1 ? 'raster upscaled' : 'raster'}
      width={raster.width}
      height={raster.height}
      style={{ width: raster.width * scale, height: raster.height * scale }}
      aria-label={label}
      role="img"
    />
  );
}
