/**
 * Evaluate mode's charts: one uPlot bar chart per metric (a bar per policy) and the Rotation confusion
 * matrix as a shaded table. The numbers are also in the results table; the charts are for comparing.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { policyName } from '../policy/spec';

export interface BarChartProps {
  title: string;
  /** One bar per label. */
  labels: string[];
  values: number[];
  /** The y axis runs from 0 to max. */
  max: number;
  format: (v: number) => string;
  color: string;
  testId?: string;
}

const CHART_W = 236;
const CHART_H = 180;

/**
 * Short axis names that still tell the policies apart (the table has the full ones): the end of a long
 * name, where checkpoints differ ('nano:vigal-nano-snake-sft' -> 'snake-sft', '...-rl' -> 'snake-rl'),
 * 'bot:greedy' -> 'greedy'. Names still alike get their bar's number.
 */
export function shortPolicies(ids: readonly string[]): string[] {
  const short = ids.map((id) => {
    const s = policyName(id);
    if (s.length <= 11) return s;
    const parts = s.split('-');
    let tail = parts.pop() ?? s;
    while (parts.length > 0 && `${parts.at(-1)}-${tail}`.length <= 11) tail = `${parts.pop()}-${tail}`;
    return tail.length <= 11 ? tail : `${tail.slice(0, 10)}…`;
  });
  return short.map((s, i) => (short.indexOf(s) !== short.lastIndexOf(s) ? `${i + 1}. ${s}`.slice(0, 12) : s));
}

export function BarChart({ title, labels, values, max, format, color, testId }: BarChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || labels.length === 0) return;
    const xs = labels.map((_, i) => i);
    const short = shortPolicies(labels);
    const plot = new uPlot(
      {
        width: CHART_W,
        height: CHART_H,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: [0, max] } },
        axes: [
          { splits: () => xs, values: (_u, splits) => splits.map((i) => short[i] ?? ''), size: 34, gap: 4, font: '11px system-ui, sans-serif', grid: { show: false } },
          { values: (_u, splits) => splits.map(format), size: 48, font: '11px system-ui, sans-serif', grid: { stroke: '#eceff3', width: 1 } },
        ],
        series: [
          {},
          {
            label: title,
            fill: color,
            stroke: color,
            width: 0,
            paths: uPlot.paths.bars!({ size: [0.6, 64], align: 0 }),
            points: { show: false },
          },
        ],
        hooks: {
          // The value over each bar, so the chart reads without hovering.
          draw: [
            (u) => {
              const ctx = u.ctx;
              ctx.save();
              ctx.fillStyle = '#1d2430';
              ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
              ctx.textAlign = 'center';
              values.forEach((v, i) => {
                const x = u.valToPos(i, 'x', true);
                const y = u.valToPos(v, 'y', true);
                ctx.fillText(format(v), x, y - 4 * devicePixelRatio);
              });
              ctx.restore();
            },
          ],
        },
      },
      [xs, values],
      el,
    );
    return () => plot.destroy();
  }, [labels, values, max, format, color, title]);

  const summary = labels.map((l, i) => `${l} ${format(values[i] ?? 0)}`).join(', ');
  return (
    <figure className="eval-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={`${title}: ${summary}`} />
    </figure>
  );
}

/** Rows: the true rotation; columns: the answer given ('(other)' = none of the options). */
export function ConfusionMatrix({ policy, confusion }: { policy: string; confusion: Record<string, Record<string, number>> }) {
  const truths = Object.keys(confusion).sort();
  const answers = [...new Set([...truths, ...Object.values(confusion).flatMap((row) => Object.keys(row))])]
    .sort((a, b) => Number(a === '(other)') - Number(b === '(other)') || a.localeCompare(b));
  const max = Math.max(1, ...Object.values(confusion).flatMap((row) => Object.values(row)));
  return (
    <table className="eval-table confusion" data-testid={`confusion-${policy}`}>
      <caption>{policy}: rows are the true rotation, columns the answer</caption>
      <thead>
        <tr>
          <th scope="col">truth \ answer</th>
          {answers.map((a) => <th key={a} scope="col">{a}</th>)}
        </tr>
      </thead>
      <tbody>
        {truths.map((t) => (
          <tr key={t}>
            <th scope="row">{t}</th>
            {answers.map((a) => {
              const c = confusion[t]?.[a] ?? 0;
              const tint = a === t ? '31, 138, 76' : '194, 59, 50';
              return <td key={a} style={{ background: c ? `rgba(${tint}, ${(0.12 + 0.5 * (c / max)).toFixed(2)})` : undefined }}>{c}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
