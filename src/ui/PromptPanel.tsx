/**
 * What a model would receive for the position on screen: the exact prompt text (full ViGaL interface or
 * the compact nano variant), the image(s) as rasterised pixels, and, on request, the ground truth.
 */
import { useId, useMemo, useState, type ReactNode } from 'react';
import type { Scene } from '../render/scene';
import { rasterize } from '../render/raster';
import { RasterView } from './RasterView';

/** Small rasters are blown up (pixelated) so their pixels can be seen; big ones shrink to fit the panel. */
function modelImageScale(width: number, count: number): number {
  const target = count > 2 ? 128 : 256;
  return width <= 96 ? Math.max(1, Math.floor(target / width)) : Math.min(1, target / width);
}

export type PromptVariant = 'full' | 'compact';

interface Props {
  /** Builds the prompt text and the model's images for a variant. */
  observe: (variant: PromptVariant) => { prompt: string; scenes: Scene[] };
  /** The ground truth, rendered by the game's own view; hidden until asked for. */
  truth: ReactNode;
}

export function PromptPanel({ observe, truth }: Props) {
  const [variant, setVariant] = useState<PromptVariant>('full');
  const [showTruth, setShowTruth] = useState(false);
  const headingId = useId();
  const { prompt, scenes } = useMemo(() => observe(variant), [observe, variant]);
  const rasters = useMemo(() => scenes.map((s) => rasterize(s)), [scenes]);

  return (
    <section className="panel prompt-panel" aria-labelledby={headingId}>
      <header className="panel-head">
        <h2 id={headingId}>Model input</h2>
        <div className="segmented" role="radiogroup" aria-label="Prompt variant">
          {(['full', 'compact'] as const).map((v) => (
            <button key={v} role="radio" aria-checked={variant === v} className={variant === v ? 'on' : ''} onClick={() => setVariant(v)}>
              {v === 'full' ? 'Full (ViGaL)' : 'Compact (nano)'}
            </button>
          ))}
        </div>
      </header>
      <div className="model-images" aria-label="Images the model sees">
        {rasters.map((r, i) => (
          <RasterView key={i} raster={r} scale={modelImageScale(r.width, rasters.length)} label={`Model image ${i + 1}`} />
        ))}
      </div>
      <pre className="prompt-text" data-testid="prompt-text" tabIndex={0} aria-label="Prompt text">
        {prompt}
      </pre>
      <div className="truth">
        <button onClick={() => setShowTruth((s) => !s)} aria-expanded={showTruth}>
          {showTruth ? 'Hide ground truth' : 'Show ground truth'}
        </button>
        {showTruth && <div data-testid="ground-truth">{truth}</div>}
      </div>
    </section>
  );
}
