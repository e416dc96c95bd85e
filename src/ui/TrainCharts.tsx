/**
 * Train mode's live curves: one small uPlot line chart per metric (reward, accuracy, format rate, KL,
 * entropy, mean length) against the step, and the greedy accuracy on held-out states (the number the
 * model cards report) at the steps it was measured. Each chart is created once at a fixed size and fed
 * new data with setData, so steps arriving never move the layout.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsRow, RunRecord } from '../records/types';
import { metricSeries } from '../store/train';
import { tickLabels, TRAIN_CHARTS, yRange } from './trainScale';
import { explain } from './glossary';

const W = 250;
const H = 150;
/** The held-out curve's series key (also its test id: chart-eval/accuracy). */
const HELD_OUT = 'eval/accuracy';


function LineChart({ rows, metric, title, digits, help }: { rows: readonly MetricsRow[]; metric: string; title: string; digits: number; help?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const series = metricSeries(rows, metric);
  const last = [...series.values].reverse().find((v) => v !== null) ?? null;

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
          { size: 26, font: '11px system-ui, sans-serif', grid: { show: false }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
          { size: 58, font: '11px system-ui, sans-serif', grid: { stroke: '#eceff3', width: 1 }, values: (_u, splits) => tickLabels(splits) },
        ],
        series: [{}, { label: title, stroke: '#2f5bd3', width: 1.5, points: { size: 4 }, spanGaps: false }],
      },
      [[], []],
      el,
    );
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [title, digits, metric]);

  useEffect(() => {
    plot.current?.setData([series.steps, series.values] as uPlot.AlignedData);
  });

  return (
    <figure className="train-chart" data-testid={`chart-${metric}`} data-points={series.values.filter((v) => v !== null).length}>
      <figcaption>
        <span title={help ? explain(help) : undefined}>{title}</span>
        <span className="num" data-testid={`chart-value-${metric}`}>{last === null ? '–' : last.toFixed(digits)}</span>
      </figcaption>
      <div ref={host} style={{ width: W, height: H }} />
    </figure>
  );
}

export function TrainCharts({ rows, evals }: { rows: readonly MetricsRow[]; evals: RunRecord['evals'] }) {
  // An evaluation after k steps sits at x = k, where the k-th step's row sits (rows are 0-based).
  const heldOut: MetricsRow[] = evals.map((e) => ({ step: e.step - 1, [HELD_OUT]: e.report.accuracy }));
  return (
    <div className="train-charts" aria-label="Training curves">
      {TRAIN_CHARTS.map((c) => <LineChart key={c.key} rows={rows} metric={c.key} title={c.title} digits={c.digits} help={c.help} />)}
      <LineChart rows={heldOut} metric={HELD_OUT} title={`Held-out accuracy (greedy${evals[0] ? `, ${evals[0].report.n} states` : ''})`} digits={3} />
    </div>
  );
}
