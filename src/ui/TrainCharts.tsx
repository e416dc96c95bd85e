/**
 * Train mode's live curves: one small uPlot line chart per metric (reward, accuracy, format rate, KL,
 * entropy, mean length), and first the greedy accuracy on held-out states (the number the model cards
 * report) at the steps it was measured, with its starting level and, when the evaluation gives one, the
 * accuracy of a random move drawn in as dashed lines. The x axis is the step or the time since Start.
 * Each chart is created once at a fixed size and fed new data with setData, so steps arriving never
 * move the layout.
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsRow, RunRecord } from '../records/types';
import { metricSeries, type ChartAxis } from '../store/train';
import { tickLabels, TRAIN_CHARTS, yRange } from './trainScale';
import { explain } from './glossary';

const W = 250;
const H = 150;
/** The held-out curve's series key (also its test id: chart-eval/accuracy). */
const HELD_OUT = 'eval/accuracy';

/** A dashed level across the chart: the held-out curve's start, or a reference such as a random move. */
interface Level {
  label: string;
  value: number;
  color: string;
  testId: string;
}

function LineChart({ rows, metric, title, digits, axis, levels = [], help }: { rows: readonly MetricsRow[]; metric: string; title: string; digits: number; axis: ChartAxis; levels?: readonly Level[]; help?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const series = metricSeries(rows, metric, axis);
  const last = [...series.values].reverse().find((v) => v !== null) ?? null;
  const levelKey = levels.map((l) => l.label).join('|');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    plot.current = new uPlot(
      {
        width: W,
        height: H,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, y: { range: (_u, min, max) => yRange(metric, min, max) } },
        axes: [
          { size: 26, font: '11px system-ui, sans-serif', grid: { show: false }, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 3600] },
          { size: 58, font: '11px system-ui, sans-serif', grid: { stroke: '#eceff3', width: 1 }, values: (_u, splits) => tickLabels(splits) },
        ],
        series: [
          {},
          { label: title, stroke: '#2f5bd3', width: 1.5, points: { size: 4 }, spanGaps: false },
          ...levels.map((l) => ({ label: l.label, stroke: l.color, width: 1, dash: [4, 4], points: { show: false } })),
        ],
      },
      [[], [], ...levels.map(() => [])] as uPlot.AlignedData,
      el,
    );
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
    // levelKey: the set of levels (not their values) decides the series; values arrive with setData.
  }, [title, digits, metric, levelKey]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    // A level spans the x range of the data (at least one unit, so it shows before the second point).
    const xs = series.steps;
    const span = xs.length > 0 ? [xs[0] as number, Math.max(xs[xs.length - 1] as number, (xs[0] as number) + 1)] : [];
    const x = levels.length > 0 ? Array.from(new Set([...xs, ...span])).sort((a, b) => a - b) : xs;
    const at = new Map(xs.map((v, i) => [v, series.values[i] ?? null]));
    plot.current?.setData([x, x.map((v) => at.get(v) ?? null), ...levels.map((l) => x.map(() => l.value))] as uPlot.AlignedData);
  });

  return (
    <figure className="train-chart" data-testid={`chart-${metric}`} data-points={series.values.filter((v) => v !== null).length}>
      <figcaption>
        <span title={help ? explain(help) : undefined}>{title}</span>
        <span className="num" data-testid={`chart-value-${metric}`}>{last === null ? '–' : last.toFixed(digits)}</span>
      </figcaption>
      <div ref={host} style={{ width: W, height: H }} />
      {levels.length > 0 && (
        <p className="chart-levels" style={{ display: 'flex', flexWrap: 'wrap', gap: '2px 10px', margin: '2px 0 0', fontSize: 11 }}>
          {levels.map((l) => (
            <span key={l.label} data-testid={l.testId} data-value={l.value} style={{ color: l.color }}>
              ┄ {l.label} {l.value.toFixed(digits)}
            </span>
          ))}
        </p>
      )}
    </figure>
  );
}

/** The held-out curve's dashed levels: where it started, and a random move's accuracy when known. */
export function heldOutLevels(evals: RunRecord['evals']): Level[] {
  const first = evals[0]?.report;
  if (!first) return [];
  const levels: Level[] = [{ label: 'start', value: first.accuracy, color: '#8a93a3', testId: 'level-start' }];
  if (first.random_accuracy !== undefined) levels.push({ label: 'random move', value: first.random_accuracy, color: '#d0842c', testId: 'level-random' });
  return levels;
}

/** A metric the run has rows for but never reports (format in an answer-only run) gets no empty chart. */
const measuredNowhere = (rows: readonly MetricsRow[], key: string): boolean => rows.length > 0 && rows.every((r) => typeof r[key] !== 'number');

/**
 * `unreported`: metrics the run as set up will never report (answer-only runs have no format to score),
 * so that no empty chart waits for them before the first step either.
 */
export function TrainCharts({ rows, evals, unreported = [] }: { rows: readonly MetricsRow[]; evals: RunRecord['evals']; unreported?: readonly string[] }) {
  const [axis, setAxis] = useState<ChartAxis>('step');
  // An evaluation after k steps sits at x = k, where the k-th step's row sits (rows are 0-based).
  const heldOut: MetricsRow[] = evals.map((e) => ({ step: e.step - 1, [HELD_OUT]: e.report.accuracy, ...(e.elapsed !== undefined ? { elapsed_s: e.elapsed } : {}) }));
  return (
    <>
      <div className="chart-axis" role="group" aria-label="x axis">
        <span className="hint">x axis:</span>
        <button aria-pressed={axis === 'step'} onClick={() => setAxis('step')}>Step</button>
        <button aria-pressed={axis === 'time'} onClick={() => setAxis('time')}>Time (s)</button>
      </div>
      <div className="train-charts" aria-label="Training curves">
        <LineChart rows={heldOut} metric={HELD_OUT} title={`Held-out accuracy (greedy${evals[0] ? `, ${evals[0].report.n} states` : ''})`} digits={3} axis={axis} levels={heldOutLevels(evals)} />
        {TRAIN_CHARTS.filter((c) => !measuredNowhere(rows, c.key) && !(rows.length === 0 && unreported.includes(c.key))).map((c) => <LineChart key={c.key} rows={rows} metric={c.key} title={c.title} digits={c.digits} axis={axis} help={c.help} />)}
      </div>
    </>
  );
}
