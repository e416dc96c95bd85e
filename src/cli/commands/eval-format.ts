/**
 * What `vigal eval --policies` and `vigal match` print for people (tables on stderr) and write for the
 * app (one EvaluationRecord JSON line per run, appended to `--jsonl FILE`; the app's Evaluate mode and
 * Storage import these lines).
 */
import { appendFileSync } from 'node:fs';
import type { EvaluationRecord } from '../../records/types';
import { ELO_INITIAL, ELO_K } from '../../rl/elo';
import { heldOutSetLabel, heldOutSetOf } from '../../rl/heldOutSets';
import { pairedAgainstFirst, pairedCells } from '../../rl/paired';
import { headToHeadTotals } from '../../rl/suite';

const pct = (x: number | undefined): string => (x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);

/** Left-aligns the first column, right-aligns the rest. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** The whole record as text: held-out table, Rotation confusion matrices, head-to-head, Elo. */
export function formatRecord(record: EvaluationRecord): string {
  const out: string[] = [];
  if (record.reports.length) {
    out.push(
      `${record.game}: ${record.n} held-out states (seed ${record.seed}${heldOutSetLabel(heldOutSetOf(record.reports[0]!))}, ${record.observationMode})`,
    );
    // Snake's reports carry best/worst accuracy: the columns follow the data.
    const snake = record.reports.some((r) => r.best_accuracy !== undefined);
    const tiles = record.reports.some((r) => r.tiles_right !== undefined);
    out.push(
      table(
        ['policy', 'accuracy', 'format', 'mean reward', ...(snake ? ['best move', 'worst moves'] : []), ...(tiles ? ['tiles right'] : []), 'tokens', 'seconds'],
        record.reports.map((r) => [
          r.policy,
          pct(r.accuracy),
          pct(r.format_rate),
          r.mean_reward.toFixed(3),
          ...(snake ? [pct(r.best_accuracy), pct(r.worst_accuracy)] : []),
          ...(tiles ? [pct(r.tiles_right)] : []),
          r.mean_new_tokens === undefined ? '–' : r.mean_new_tokens.toFixed(0),
          r.seconds.toFixed(1),
        ]),
      ),
    );
    const paired = pairedAgainstFirst(record.reports);
    if (paired.length) {
      out.push('', `state by state against ${paired[0]!.base} (McNemar's exact test on the fixed/broken split)`);
      out.push(
        table(
          ['policy', 'fixed', 'broken', 'net', 'p'],
          paired.map((c) => [c.other, ...pairedCells(c)]),
        ),
      );
    }
    for (const r of record.reports) if (r.confusion) out.push('', `${r.policy}: confusion (rows: truth, columns: answer)`, confusionTable(r.confusion));
  }
  if (record.matches.length) {
    const games = record.matches[0]!.games;
    out.push('', `head-to-head: ${games} game${games === 1 ? '' : 's'} per pairing and seat (game g from seed ${record.matches[0]!.seed ?? record.seed} + g)`);
    out.push(
      table(
        ['seat 1', 'seat 2', 'games', 'won', 'tied', 'lost', 'score', 'their score', 'rounds'],
        record.matches.map((m) => [
          m.policy,
          m.opponent,
          String(m.games),
          String(m.wins),
          String(m.ties),
          String(m.losses),
          m.mean_score.toFixed(2),
          m.mean_opponent_score.toFixed(2),
          m.mean_rounds.toFixed(1),
        ]),
      ),
    );
    out.push('', 'per policy, both seats');
    out.push(
      table(
        ['policy', 'games', 'won', 'tied', 'lost', 'win rate', 'mean score', 'survival rounds'],
        headToHeadTotals(record.matches).map((t) => [
          t.policy,
          String(t.games),
          String(t.wins),
          String(t.ties),
          String(t.losses),
          pct(t.win_rate),
          t.mean_score.toFixed(2),
          t.mean_survival === null ? '–' : t.mean_survival.toFixed(1),
        ]),
      ),
    );
  }
  if (record.elo?.length) {
    out.push('', `Elo (every game in play order, K ${ELO_K}, start ${ELO_INITIAL})`);
    out.push(
      table(
        ['policy', 'rating', 'games', 'won', 'tied', 'lost'],
        record.elo.map((e) => [e.policy, e.rating.toFixed(0), String(e.games), String(e.wins), String(e.ties), String(e.losses)]),
      ),
    );
  }
  return out.join('\n');
}

function confusionTable(confusion: Record<string, Record<string, number>>): string {
  const truths = Object.keys(confusion).sort();
  const answers = [...new Set([...truths, ...Object.values(confusion).flatMap((row) => Object.keys(row))])].sort(
    (a, b) => Number(a === '(other)') - Number(b === '(other)') || a.localeCompare(b),
  );
  return table(
    ['truth \\ answer', ...answers],
    truths.map((t) => [t, ...answers.map((a) => String(confusion[t]?.[a] ?? 0))]),
  );
}

/** Appends the record as one JSON line (the file is created when missing). */
export function appendRecord(file: string, record: EvaluationRecord): void {
  appendFileSync(file, JSON.stringify(record) + '\n');
}
