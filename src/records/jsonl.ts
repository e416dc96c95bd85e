/**
 * Records as JSON lines: export, import, and verl's rollout dumps. Pure (no DOM, no storage), so the
 * app, the CLI and tests read and write the same lines.
 *
 * A file is one JSON object per line:
 *   {"type":"episode"|"evaluation"|"run", "version":1, ...}    a record of records/types.ts
 *   {"type":"checkpoint", "key":..., "base64":...}             weight bytes a run's checkpoints[] names
 *   {"input":..., "output":..., "gts":..., "score":..., "step":...}   a verl `rollout_data_dir` line
 * `parseJsonl` keeps every good line and reports each bad one as {line, message} (1-based), so one broken
 * line never loses a file. Blank lines are skipped.
 *
 * verl dumps (docs/engines.md, "Bringing rollouts back"): `input` is the decoded chat prompt, `output`
 * the response, `gts` the export's ground-truth JSON (`{"game":"snake","best":[...],"worst":[...],
 * "state":{...}}` or `{"game":"rotation","answer":...,"seed":...,"classes":[...],"example":...}`),
 * `score` the cluster's reward, `step` the training step. The game comes from `gts.game`; where `gts` is
 * not our JSON, a full Snake prompt inside `input` still gives the board (and the labels are recomputed).
 * The reward's own dump lines (`VIGAL_ROLLOUT_DUMP`: engine, output, gts, score, no input or step) are
 * read the same way, as step 0 with no prompt text.
 * Lines become episodes, one per (step, game), one episode step per line in file order, each marked
 * `source: 'import'`; the answer is re-scored with the app's reward, and lines where that disagrees
 * with the cluster's `score` are counted in the episode's note.
 */
import type { Move } from '../games/snake';
import { parseGroundTruth, type GroundTruth } from '../data/record';
import { RECORD_VERSION, type AnyRecord, type EpisodeRecord, type EpisodeStep } from './types';
import { GAME_IDS, gameOf, isGameId, type GameId, type GameTruth, type Position } from '../games/registry';

export interface JsonlError {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

/** Weight bytes travelling with a run (base64, so the file stays text). */
export interface CheckpointLine {
  type: 'checkpoint';
  version: number;
  key: string;
  base64: string;
}

export interface JsonlImport {
  records: AnyRecord[];
  checkpoints: { key: string; bytes: Uint8Array }[];
  errors: JsonlError[];
  /** Non-blank lines read. */
  lines: number;
  /** How many of them were verl rollout lines (turned into `records` episodes). */
  verlLines: number;
}

export interface ParseOptions {
  /** Shown in notes and used in imported episodes' ids. */
  fileName?: string;
  /** createdAt of episodes made from verl lines (ms since the epoch). */
  now?: number;
}

// ---- writing ---------------------------------------------------------------------------------------

/** One line per record, each ending in '\n'. */
export function serializeJsonl(items: readonly (AnyRecord | CheckpointLine)[]): string {
  return items.map((r) => JSON.stringify(r) + '\n').join('');
}

export function checkpointLine(key: string, bytes: Uint8Array): CheckpointLine {
  return { type: 'checkpoint', version: RECORD_VERSION, key, base64: toBase64(bytes) };
}

// ---- reading ---------------------------------------------------------------------------------------

export function parseJsonl(text: string, opts: ParseOptions = {}): JsonlImport {
  const out: JsonlImport = { records: [], checkpoints: [], errors: [], lines: 0, verlLines: 0 };
  const verl: { line: number; value: Record<string, unknown> }[] = [];
  const rows = text.split('\n');
  rows.forEach((raw, i) => {
    const line = i + 1;
    const src = raw.trim();
    if (src === '') return;
    out.lines++;
    let value: unknown;
    try {
      value = JSON.parse(src);
    } catch (e) {
      out.errors.push({ line, message: `not JSON: ${(e as Error).message}` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.errors.push({ line, message: 'a line must be a JSON object' });
      return;
    }
    const v = value as Record<string, unknown>;
    try {
      if (v['type'] === 'checkpoint') {
        checkVersion(v);
        if (typeof v['key'] !== 'string' || typeof v['base64'] !== 'string') throw new Error("a checkpoint line needs 'key' and 'base64' strings");
        out.checkpoints.push({ key: v['key'], bytes: fromBase64(v['base64']) });
      } else if (v['type'] === 'episode' || v['type'] === 'evaluation' || v['type'] === 'run') {
        out.records.push(validateRecord(v));
      } else if ('output' in v && 'gts' in v) {
        verl.push({ line, value: v });
      } else {
        throw new Error(
          `unknown line: expected "type" episode, evaluation, run or checkpoint, or a verl rollout line with input, output, gts, score, step (keys here: ${Object.keys(v).slice(0, 8).join(', ') || 'none'})`,
        );
      }
    } catch (e) {
      out.errors.push({ line, message: (e as Error).message });
    }
  });
  if (verl.length > 0) {
    const { episodes, errors } = verlToEpisodes(verl, opts);
    out.verlLines = verl.length - errors.length;
    out.records.push(...episodes);
    out.errors.push(...errors);
    out.errors.sort((a, b) => a.line - b.line);
  }
  return out;
}

function checkVersion(v: Record<string, unknown>): void {
  const version = v['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`'version' must be a positive integer, got ${JSON.stringify(version)}`);
  }
  if (version > RECORD_VERSION) {
    throw new Error(`version ${version} was written by a newer app; this one reads records up to version ${RECORD_VERSION}`);
  }
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function need(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}

/** Checks what the app relies on; the message names the field. Returns the record as read. */
export function validateRecord(v: Record<string, unknown>): AnyRecord {
  checkVersion(v);
  const type = v['type'] as AnyRecord['type'];
  need(typeof v['id'] === 'string' && v['id'] !== '', `${type}: 'id' must be a non-empty string`);
  need(isNum(v['createdAt']), `${type} ${String(v['id'])}: 'createdAt' must be a number (ms since the epoch)`);
  need(isGameId(v['game']), `${type} ${String(v['id'])}: 'game' must be ${GAME_IDS.map((g) => `'${g}'`).join(' or ')}, got ${JSON.stringify(v['game'])}`);
  const where = `${type} ${String(v['id'])}`;
  if (type === 'episode') {
    need(typeof v['policy'] === 'string', `${where}: 'policy' must be a string`);
    need(isNum(v['seed']), `${where}: 'seed' must be a number`);
    need(['image+text', 'image', 'text'].includes(v['observationMode'] as string), `${where}: 'observationMode' must be 'image+text', 'image' or 'text'`);
    need(Array.isArray(v['steps']), `${where}: 'steps' must be a list`);
    (v['steps'] as unknown[]).forEach((s, i) => validateStep(s, v['game'] as GameId, `${where} step ${i}`));
  } else if (type === 'evaluation') {
    need(Array.isArray(v['reports']), `${where}: 'reports' must be a list`);
    need(Array.isArray(v['matches']), `${where}: 'matches' must be a list`);
  } else {
    need(['sft', 'grpo', 'rloo'].includes(v['kind'] as string), `${where}: 'kind' must be sft, grpo or rloo`);
    need(
      Array.isArray(v['metrics']) && (v['metrics'] as unknown[]).every((m) => isObj(m) && isNum(m['step'])),
      `${where}: 'metrics' must be a list of {step, ...numbers}`,
    );
    need(Array.isArray(v['evals']), `${where}: 'evals' must be a list`);
    need(Array.isArray(v['checkpoints']), `${where}: 'checkpoints' must be a list`);
  }
  return v as unknown as AnyRecord;
}

function validateStep(s: unknown, game: GameId, where: string): void {
  need(isObj(s), `${where}: must be an object`);
  const st = s as Record<string, unknown>;
  const pos = st['position'];
  need(isObj(pos) && pos['game'] === game && isObj(pos['state']), `${where}: 'position' must be {game: '${game}', state: {...}}`);
  if (gameOf(game).kind === 'env') {
    // An env game's state comes from outside play (a question is a pure function of its seed: redrawn, not trusted).
    try {
      gameOf(game).parseState((pos as Record<string, unknown>)['state']);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
  }
  need(typeof st['prompt'] === 'string' && typeof st['text'] === 'string', `${where}: 'prompt' and 'text' must be strings`);
  const r = st['reward'];
  need(isObj(r) && isNum(r['format']) && isNum(r['accuracy']) && isNum(r['overall']), `${where}: 'reward' must be {format, accuracy, overall} numbers`);
  try {
    gameOf(game).parseTruth(st['truth']);
  } catch (e) {
    throw new Error(`${where}: 'truth': ${(e as Error).message}`);
  }
}

// ---- verl rollout dumps ----------------------------------------------------------------------------

/** One verl line as an episode step (index set later), or an Error naming what is wrong. */
export function verlLineToStep(v: Record<string, unknown>): { game: GameId; step: number; score: number; episodeStep: EpisodeStep } {
  // The reward's own dump (VIGAL_ROLLOUT_DUMP, any engine) has no input and no step: it groups as step 0.
  const dump = !('input' in v) && typeof v['engine'] === 'string';
  const missing = (dump ? ['output', 'gts', 'score'] : ['input', 'output', 'gts', 'score', 'step']).filter((k) => !(k in v));
  need(missing.length === 0, `verl line: missing ${missing.join(', ')} (a rollout line has input, output, gts, score, step)`);
  const input = dump ? '' : v['input'];
  const output = v['output'];
  need(typeof input === 'string' && typeof output === 'string', "verl line: 'input' and 'output' must be strings");
  need(isNum(v['score']), `verl line: 'score' must be a number, got ${JSON.stringify(v['score'])}`);
  if (dump) v = { ...v, step: 0 };
  need(isNum(v['step']) && Number.isInteger(v['step']), `verl line: 'step' must be an integer, got ${JSON.stringify(v['step'])}`);
  const prompt = input as string;
  const text = output as string;

  let truth: GroundTruth | null = null;
  let truthError = '';
  try {
    truth = parseGroundTruth(v['gts']);
  } catch (e) {
    truthError = (e as Error).message;
  }
  // The game comes from gts; where gts is not ours, from a prompt a game recognises (a full Snake prompt).
  const id = truth?.game ?? GAME_IDS.find((g) => gameOf(g).fromPrompt?.looksLike(prompt));
  need(id !== undefined, `verl line: gts is not the export's ground-truth JSON (${truthError}) and the prompt is not one the app can read a position from`);
  const game = gameOf(id as GameId);
  let state = truth ? game.stateOfExport(truth) : null;
  if (state === null && game.fromPrompt) state = game.fromPrompt.read(prompt);
  need(
    state !== null,
    game.kind === 'question'
      ? `verl ${game.id} line: gts has no seed, so the question cannot be redrawn`
      : `verl ${game.id} line: gts carries no state${truthError ? ` (${truthError})` : ''} and the prompt is not a full ${game.title} prompt the app can read the board from`,
  );
  const labels = truth ? game.truthOfExport(truth) : game.truth(state);
  if (game.kind === 'question' && truth) {
    const redrawn = game.truth(state);
    const seed = (truth as { seed?: number }).seed;
    need(
      JSON.stringify(redrawn) === JSON.stringify(labels),
      `verl ${game.id} line: the question redrawn from seed ${seed} has answer '${game.truthText(redrawn)}', gts says '${game.truthText(labels)}' (another app version or class set?)`,
    );
  }
  const verdict = game.score(text, labels);
  return {
    game: game.id as GameId,
    step: v['step'] as number,
    score: v['score'] as number,
    episodeStep: {
      index: 0,
      position: { game: game.id, state } as Position,
      prompt,
      text,
      action: verdict.action,
      // An env game acts on the parsed move; a question's answer is not applied to anything.
      applied: game.kind === 'env' ? (verdict.action as Move | null) : null,
      truth: JSON.parse(JSON.stringify(labels)) as GameTruth,
      reward: { format: verdict.format, accuracy: verdict.accuracy, overall: verdict.overall },
      timings: { totalMs: 0 },
      source: 'import',
    },
  };
}

/** verl lines -> one episode per (training step, game), steps in file order; bad lines reported. */
export function verlToEpisodes(
  rows: readonly { line: number; value: Record<string, unknown> }[],
  opts: ParseOptions = {},
): { episodes: EpisodeRecord[]; errors: JsonlError[] } {
  const errors: JsonlError[] = [];
  const groups = new Map<string, { game: GameId; step: number; steps: EpisodeStep[]; lines: number[]; mismatched: number }>();
  for (const { line, value } of rows) {
    try {
      const r = verlLineToStep(value);
      const key = `${r.step}|${r.game}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { game: r.game, step: r.step, steps: [], lines: [], mismatched: 0 }));
      g.steps.push({ ...r.episodeStep, index: g.steps.length });
      g.lines.push(line);
      if (Math.abs(r.score - r.episodeStep.reward.overall) > 1e-6) g.mismatched++;
    } catch (e) {
      errors.push({ line, message: (e as Error).message });
    }
  }
  const file = opts.fileName ?? 'rollouts.jsonl';
  const slug = file
    .replace(/\.jsonl$/i, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .slice(-60);
  const episodes = [...groups.values()].map((g): EpisodeRecord => ({
    type: 'episode',
    version: RECORD_VERSION,
    id: `verl-${slug}-step${g.step}-${g.game}`,
    createdAt: opts.now ?? 0,
    game: g.game,
    policy: 'verl',
    seed: g.step,
    observationMode: 'image+text',
    steps: g.steps,
    result: null,
    // Imported steps' images re-render as the export draws them by default (docs/engines.md).
    render: { ...gameOf(g.game).exportRender },
    note:
      `Imported from ${file}: verl training step ${g.step}, ${g.steps.length} responses (lines ${g.lines[0]}-${g.lines.at(-1)}).` +
      (g.mismatched > 0
        ? ` The cluster's score differs from the app's re-score on ${g.mismatched} of them.`
        : " Every cluster score equals the app's re-score."),
  }));
  return { episodes, errors };
}

// ---- base64 (no Buffer: runs in the browser too) ---------------------------------------------------

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  let s: string;
  try {
    s = atob(b64);
  } catch {
    throw new Error('checkpoint: base64 is malformed');
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
