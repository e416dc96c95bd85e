/**
 * Issue 16's targets as one markdown table, from the EvaluationRecord lines `scripts/gpu/joint.sh finish`
 * appends (vigal eval --jsonl) and the parity check's JSON line. Every number is read from those files;
 * nothing is computed here but pooling (the RL-over-SFT McNemar test over every held-out set together).
 * Usage: npx tsx scripts/gpu/joint-targets.ts EVALS.jsonl PARITY.json > targets.md
 */
import { readFileSync } from 'node:fs';
import type { EvaluationRecord } from '../../src/records/types';
import { heldOutSetLabel, heldOutSetOf } from '../../src/rl/heldOutSets';
import { mcnemarExact, pairedComparison } from '../../src/rl/paired';

const [evalsFile, parityFile] = process.argv.slice(2);
if (!evalsFile || !parityFile) throw new Error('usage: joint-targets.ts EVALS.jsonl PARITY.json');
const records = readFileSync(evalsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as EvaluationRecord);
const parity = JSON.parse(readFileSync(parityFile, 'utf8').trim().split('\n').pop() as string) as { maxAbsDiff: number; positions: number };
const pct = (x: number | undefined): string => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);

const rows: string[] = [];
let fixed = 0;
let broken = 0;
for (const r of records) {
  if (r.reports.length < 2) continue;
  const [sft, rl] = r.reports as [EvaluationRecord['reports'][0], EvaluationRecord['reports'][0]];
  const set = `${r.game}, ${r.n} states, seed ${r.seed}${heldOutSetLabel(heldOutSetOf(sft))}`;
  const p = pairedComparison(sft, rl);
  if (p) {
    fixed += p.fixed;
    broken += p.broken;
  }
  rows.push(`| ${set} | accuracy | ${pct(sft.accuracy)} | ${pct(rl.accuracy)} | ${p ? `${p.fixed} / ${p.broken}, p ${p.pValue.toPrecision(2)}` : '-'} |`);
  if (sft.worst_accuracy !== undefined) rows.push(`| ${set} | worst-move accuracy | ${pct(sft.worst_accuracy)} | ${pct(rl.worst_accuracy)} | |`);
}
const games = records.filter((r) => r.reports.length === 1 && r.matches.length === 1).map((r) => r.matches[0]!);
const gameCell = (i: number, f: (m: (typeof games)[0]) => string): string => (games[i] ? f(games[i]) : '-');
if (games.length) {
  rows.push(
    `| ${games[0]!.games} games vs the greedy bot (seat 1, seeds 1000 + g) | wins + ties | ${gameCell(0, (m) => pct((m.wins + m.ties) / m.games))} | ${gameCell(1, (m) => pct((m.wins + m.ties) / m.games))} | |`,
  );
  rows.push(`| same games | mean rounds | ${gameCell(0, (m) => m.mean_rounds.toFixed(1))} | ${gameCell(1, (m) => m.mean_rounds.toFixed(1))} | |`);
}
console.log(
  [
    '',
    '## Issue 16 targets (scripts/gpu/joint.sh finish)',
    '',
    'Greedy decoding, fp32, WASM, on sets never used for training or checkpoint selection (the training data excludes every',
    'registered held-out set, src/rl/heldOutSets.ts; checkpoints were picked on seed 3000 only).',
    '',
    '| set | measure | SFT | RL | RL fixed / broken (McNemar) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Pooled over every held-out set: RL fixed ${fixed} and broke ${broken} of SFT's answers, McNemar p ${mcnemarExact(fixed, broken).toPrecision(2)}.`,
    `Parity of the GPU trainer's forward against the exported ONNX model: max |logit difference| ${parity.maxAbsDiff.toExponential(2)} over ${parity.positions} positions.`,
    '',
  ].join('\n'),
);
