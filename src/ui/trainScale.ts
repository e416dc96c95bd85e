/**
 * Colour scales of the Train view (pure: no React, tested in trainScale.test.ts).
 *   advantageColor: diverging, red (below the group's baseline) - white (0) - green (above), saturating
 *                   at +-maxAbs.
 *   logprobColor:   sequential on the token's surprise -log p: white (certain) to orange-red at 6 nats
 *                   (p = 0.25% and below).
 *   yRange:         the charts' y ranges (fixed for rates and reward; fitted, never 0..100, for the rest).
 */
const WHITE: RGB = [255, 255, 255];
const GREEN: RGB = [46, 160, 90];
const RED: RGB = [210, 60, 50];
const ORANGE: RGB = [232, 110, 40];
type RGB = [number, number, number];

/** Largest surprise the log-prob scale distinguishes (nats). */
export const MAX_SURPRISE = 6;

const mix = (a: RGB, b: RGB, t: number): RGB => a.map((x, i) => Math.round(x + ((b[i] as number) - x) * t)) as RGB;
const css = (c: RGB): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

export function advantageColor(advantage: number, maxAbs = 1): string {
  const t = clamp01(Math.abs(advantage) / (maxAbs > 0 ? maxAbs : 1));
  return css(mix(WHITE, advantage >= 0 ? GREEN : RED, t));
}

export function logprobColor(logprob: number): string {
  return css(mix(WHITE, ORANGE, clamp01(-logprob / MAX_SURPRISE)));
}

/** Text colour readable on a background from these scales (dark unless the background is saturated). */
export function inkOn(background: string): string {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(background);
  if (!m) return '#1d2430';
  const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return 0.299 * r + 0.587 * g + 0.114 * b < 150 ? '#ffffff' : '#1d2430';
}

/** The largest |advantage| over groups (the advantage scale's end; at least 1e-6). */
export function maxAbsAdvantage(groups: readonly { samples: readonly { advantage: number }[] }[]): number {
  let m = 1e-6;
  for (const g of groups) for (const s of g.samples) if (Number.isFinite(s.advantage)) m = Math.max(m, Math.abs(s.advantage));
  return m;
}

/** The charts of the Train view: metric key (TRL/verl names) and how to read it. */
export const TRAIN_CHARTS: readonly { key: string; title: string; digits: number; /** glossary term of its tooltip */ help?: string }[] = [
  { key: 'reward', title: 'Mean reward', digits: 3, help: 'reward' },
  { key: 'accuracy', title: 'Accuracy', digits: 3, help: 'accuracy' },
  { key: 'format_rate', title: 'Format rate', digits: 3, help: 'format' },
  { key: 'kl', title: 'KL to the start model', digits: 4, help: 'kl' },
  { key: 'entropy', title: 'Entropy (nats/token)', digits: 3, help: 'entropy' },
  { key: 'completions/mean_length', title: 'Mean length (tokens)', digits: 1 },
];

/** Rates and rewards have fixed ranges (so curves compare across runs); the rest fit their data. */
const FIXED: Record<string, [number, number]> = { reward: [0, 1.1], accuracy: [0, 1], format_rate: [0, 1], 'eval/accuracy': [0, 1] };

export function yRange(metric: string, min: number | null, max: number | null): [number, number] {
  const fixed = FIXED[metric];
  if (fixed) return [Math.min(fixed[0], min ?? fixed[0]), Math.max(fixed[1], max ?? fixed[1])];
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  // A flat series gets a band around its value instead of uPlot's 0..100.
  const pad = max > min ? (max - min) * 0.1 : Math.max(Math.abs(max) * 0.05, 1e-3);
  return [min - pad, max + pad];
}

/**
 * Tick labels with just enough decimals to tell neighbouring ticks apart (at most 6). Tiny values (a KL
 * of 1e-4) are written with an exponent, "1.0e-4", not "0.00010": the long form did not fit the axis.
 */
export function tickLabels(splits: readonly number[]): string[] {
  const step = splits.length > 1 ? Math.abs((splits[1] as number) - (splits[0] as number)) : 1;
  const d = step > 0 && Number.isFinite(step) ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : 0;
  const top = Math.max(...splits.map((v) => Math.abs(v)));
  if (d >= 4 && top > 0 && top < 0.01) {
    const e = Math.floor(Math.log10(top));
    const digits = Math.max(0, Math.min(3, d + e));
    return splits.map((v) => (v === 0 ? '0' : `${(v / 10 ** e).toFixed(digits)}e${e}`));
  }
  return splits.map((v) => v.toFixed(d));
}
