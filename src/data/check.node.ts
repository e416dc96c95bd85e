/**
 * `checkDataset(dir)`: reads an export back the way its engine would and checks it, row group by row
 * group (bounded memory):
 * - completeness: manifest.json present and well-formed, every file it names present;
 * - schema: the parquet schema (or each JSON line's shape) is exactly what the engine's writer declares;
 * - images: as many images as placeholders (`<image>` or `{"type":"image"}` parts), each a decodable PNG;
 * - labels: the ground truth parses, a perfect response to it scores 1.1 with the app's reward, and a
 *   Snake truth carrying its state equals the labels recomputed from that state;
 * - duplicates: no state twice within a split, none in both splits;
 * - counts and the content hash agree with the manifest.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { gameOf, type GameId } from '../games/registry';
import { exportStateKey } from './build.node.ts';
import { decodePng } from '../render/png';
import { contentHash, MANIFEST_FILE, MANIFEST_FORMAT, sha256File, type Manifest } from './manifest.node.ts';
import { countPlaceholders, DATA_SOURCES, parseGroundTruth, perfectResponse, SPLITS, type Split } from './record';
import { EASYR1_COLUMNS, ENGINES, TRL_COLUMNS, VERL_COLUMNS, type Engine, type WrittenFile } from './writers.node.ts';
import type { ColumnWriteOptions, SchemaElement } from './parquet.node.ts';

/** Problems listed in the report (the count is always complete). */
const MAX_LISTED = 50;

export interface CheckReport {
  dir: string;
  ok: boolean;
  engine: Engine | null;
  rows: Record<Split, number>;
  games: Partial<Record<GameId, number>>;
  images: number;
  checks: {
    manifest: boolean;
    schema: boolean;
    placeholders: boolean;
    png: boolean;
    labels: boolean;
    duplicates: boolean;
    splitOverlap: boolean;
    counts: boolean;
    contentHash: boolean;
  };
  problemCount: number;
  problems: string[];
}

type CheckName = keyof CheckReport['checks'];

/** One sample as every engine format reads back, normalised. */
interface Row {
  split: Split;
  /** Row number in its file (for messages). */
  at: number;
  dataSource: string | null;
  placeholders: number;
  images: Uint8Array[];
  truth: string;
  /** The writer's own key, when the format stores it (verl). */
  stateKey?: string;
}

class Report {
  readonly r: CheckReport;
  constructor(dir: string) {
    this.r = {
      dir,
      ok: true,
      engine: null,
      rows: { train: 0, val: 0 },
      games: {},
      images: 0,
      checks: {
        manifest: true,
        schema: true,
        placeholders: true,
        png: true,
        labels: true,
        duplicates: true,
        splitOverlap: true,
        counts: true,
        contentHash: true,
      },
      problemCount: 0,
      problems: [],
    };
  }
  /** Records a problem; returns null so a row reader can `return report.fail(...)`. */
  fail(check: CheckName, message: string): null {
    this.r.checks[check] = false;
    this.r.ok = false;
    this.r.problemCount++;
    if (this.r.problems.length < MAX_LISTED) this.r.problems.push(`${check}: ${message}`);
    return null;
  }
}

function expectedSchema(columns: ColumnWriteOptions[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap((c) => c.field)];
}

const PARQUET_COLUMNS: Partial<Record<Engine, ColumnWriteOptions[]>> = { verl: VERL_COLUMNS, easyr1: EASYR1_COLUMNS, trl: TRL_COLUMNS };

/** One schema element as comparable text (both hyparquet copies' element types fit this shape). */
function describe(e: Pick<SchemaElement, 'name' | 'type' | 'converted_type' | 'repetition_type' | 'num_children'>): string {
  return [e.name, e.type ?? 'group', e.converted_type ?? '', e.repetition_type ?? '', e.num_children ?? 0].join(':');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Pulls the normalised row out of one engine-format row; pushes schema problems. */
function normaliseParquetRow(engine: Engine, split: Split, at: number, row: Record<string, unknown>, report: Report): Row | null {
  const where = `${split} row ${at}`;
  const imagesOf = (value: unknown): Uint8Array[] | null => {
    if (!Array.isArray(value)) return null;
    const out: Uint8Array[] = [];
    for (const img of value) {
      if (!isRecord(img) || !(img['bytes'] instanceof Uint8Array)) return null;
      out.push(img['bytes']);
    }
    return out;
  };
  if (engine === 'verl') {
    const prompt = row['prompt'];
    const rm = row['reward_model'];
    const extra = row['extra_info'];
    const images = imagesOf(row['images']);
    const message = Array.isArray(prompt) && prompt.length === 1 && isRecord(prompt[0]) ? prompt[0] : null;
    if (!message || message['role'] !== 'user' || typeof message['content'] !== 'string') {
      return report.fail('schema', `${where}: prompt must be [{"role":"user","content":str}]`);
    }
    if (!images) return report.fail('schema', `${where}: images must be a list of {"bytes": binary}`);
    if (!isRecord(rm) || rm['style'] !== 'rule' || typeof rm['ground_truth'] !== 'string') {
      return report.fail('schema', `${where}: reward_model must be {"style":"rule","ground_truth":str}`);
    }
    if (!isRecord(extra) || extra['split'] !== split || typeof extra['index'] !== 'bigint') {
      return report.fail('schema', `${where}: extra_info must carry split '${split}' and an int64 index`);
    }
    if (Number(extra['index']) !== at) report.fail('schema', `${where}: extra_info.index is ${String(extra['index'])}, expected ${at}`);
    return {
      split,
      at,
      dataSource: typeof row['data_source'] === 'string' ? row['data_source'] : null,
      placeholders: countPlaceholders(message['content']),
      images,
      truth: rm['ground_truth'],
      ...(typeof extra['state_key'] === 'string' ? { stateKey: extra['state_key'] } : {}),
    };
  }
  if (engine === 'easyr1') {
    const images = imagesOf(row['images']);
    if (typeof row['problem'] !== 'string' || typeof row['answer'] !== 'string' || !images) {
      return report.fail('schema', `${where}: needs problem: str, answer: str, images: [{"bytes"}]`);
    }
    return {
      split,
      at,
      dataSource: typeof row['data_source'] === 'string' ? row['data_source'] : null,
      placeholders: countPlaceholders(row['problem']),
      images,
      truth: row['answer'],
    };
  }
  // trl
  const prompt = row['prompt'];
  const message = Array.isArray(prompt) && prompt.length === 1 && isRecord(prompt[0]) ? prompt[0] : null;
  const parts = message && Array.isArray(message['content']) ? (message['content'] as unknown[]) : null;
  const images = imagesOf(row['images']);
  if (
    !message ||
    message['role'] !== 'user' ||
    !parts ||
    !parts.every((p) => isRecord(p) && (p['type'] === 'image' || (p['type'] === 'text' && typeof p['text'] === 'string')))
  ) {
    return report.fail('schema', `${where}: prompt must be [{"role":"user","content":[{"type":"image"|"text",...}]}]`);
  }
  if (!images || typeof row['ground_truth'] !== 'string') return report.fail('schema', `${where}: needs images: [Image] and ground_truth: str`);
  return {
    split,
    at,
    dataSource: typeof row['data_source'] === 'string' ? row['data_source'] : null,
    placeholders: parts.filter((p) => isRecord(p) && p['type'] === 'image').length,
    images,
    truth: row['ground_truth'],
  };
}

async function* parquetRows(engine: Engine, dir: string, file: string, split: Split, report: Report): AsyncGenerator<Row> {
  const path = join(dir, file);
  const buffer = await asyncBufferFromFile(path);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    report.fail('schema', `${file} is not a readable parquet file: ${(err as Error).message}`);
    return;
  }
  const want = expectedSchema(PARQUET_COLUMNS[engine]!).map(describe);
  const got = metadata.schema.map(describe);
  if (want.join('|') !== got.join('|')) {
    const i = want.findIndex((w, k) => w !== got[k]);
    report.fail('schema', `${file}: schema differs from the ${engine} layout at element ${i}: expected ${want[i] ?? '(end)'}, found ${got[i] ?? '(end)'}`);
    return;
  }
  let at = 0;
  for (const group of metadata.row_groups) {
    const rowStart = at;
    const rowEnd = at + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, utf8: false });
    } catch (err) {
      report.fail('schema', `${file}: rows ${rowStart}-${rowEnd - 1} cannot be read (${(err as Error).message})`);
      at = rowEnd;
      continue;
    }
    for (const row of rows) {
      const normal = normaliseParquetRow(engine, split, at, row, report);
      at++;
      if (normal) yield normal;
    }
  }
}

async function* jsonlRows(dir: string, file: string, split: Split, imageRoot: string, report: Report): AsyncGenerator<Row> {
  const lines = createInterface({ input: createReadStream(join(dir, file)), crlfDelay: Infinity });
  let at = 0;
  for await (const text of lines) {
    if (text.trim() === '') continue;
    const where = `${split} line ${at + 1}`;
    const index = at++;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      report.fail('schema', `${where}: not valid JSON`);
      continue;
    }
    if (!isRecord(line)) {
      report.fail('schema', `${where}: not a JSON object`);
      continue;
    }
    const prompt = line['prompt'];
    const message = Array.isArray(prompt) && prompt.length === 1 && isRecord(prompt[0]) ? prompt[0] : null;
    const parts = message && Array.isArray(message['content']) ? (message['content'] as unknown[]) : null;
    const paths = line['images'];
    if (
      !message ||
      message['role'] !== 'user' ||
      !parts ||
      !parts.every((p) => isRecord(p) && (p['type'] === 'image' || (p['type'] === 'text' && typeof p['text'] === 'string')))
    ) {
      report.fail('schema', `${where}: prompt must be [{"role":"user","content":[{"type":"image"}|{"type":"text","text":str}]}]`);
      continue;
    }
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.startsWith('/')) || typeof line['label'] !== 'string') {
      report.fail('schema', `${where}: needs images: [absolute path] and label: str`);
      continue;
    }
    const images: Uint8Array[] = [];
    for (const p of paths as string[]) {
      // Paths point where the cluster will find the files; here they live under the export directory.
      const local = p.startsWith(imageRoot + '/') ? join(dir, p.slice(imageRoot.length + 1)) : p;
      if (!existsSync(local)) {
        report.fail('png', `${where}: image file ${p} is missing`);
        continue;
      }
      images.push(new Uint8Array(readFileSync(local)));
    }
    yield {
      split,
      at: index,
      dataSource: typeof line['datasource'] === 'string' ? line['datasource'] : null,
      placeholders: parts.filter((p) => isRecord(p) && p['type'] === 'image').length,
      images,
      truth: line['label'],
    };
  }
}

/** The truth's game and a key of what the sample shows: Snake by its state, otherwise by its images. */
function checkRow(row: Row, report: Report): { game: GameId; key: string } | null {
  const where = `${row.split} row ${row.at}`;
  if (row.placeholders !== row.images.length) {
    report.fail('placeholders', `${where}: ${row.placeholders} image placeholders for ${row.images.length} images`);
  }
  if (row.images.length === 0) report.fail('placeholders', `${where}: no image`);
  for (const [k, png] of row.images.entries()) {
    try {
      decodePng(png);
    } catch (err) {
      report.fail('png', `${where} image ${k}: ${(err as Error).message}`);
    }
  }
  let truth;
  try {
    truth = parseGroundTruth(row.truth);
  } catch (err) {
    report.fail('labels', `${where}: ${(err as Error).message}`);
    return null;
  }
  if (row.dataSource !== null && row.dataSource !== DATA_SOURCES[truth.game]) {
    report.fail('schema', `${where}: data source '${row.dataSource}' but a ${truth.game} ground truth`);
  }
  const game = gameOf(truth.game);
  const expected = game.truthOfExport(truth);
  const verdict = game.score(perfectResponse(truth), expected);
  if (verdict.overall !== 1.1) report.fail('labels', `${where}: a perfect response scores ${verdict.overall}, not 1.1 (truth ${row.truth.slice(0, 120)})`);
  let key: string;
  let state: unknown = null;
  let labels: unknown = null;
  try {
    // A truth that carries its state (Snake's) is re-labelled from it and keyed by it; a question game's is not redrawn here.
    state = game.kind === 'env' ? game.stateOfExport(truth) : null;
    if (state !== null) labels = game.truth(state);
  } catch (err) {
    report.fail('labels', `${where}: state in the truth is invalid: ${(err as Error).message}`);
    return null;
  }
  if (state !== null) {
    if (JSON.stringify(labels) !== JSON.stringify(expected)) {
      report.fail('labels', `${where}: labels ${game.truthText(expected)} differ from the state's ${game.truthText(labels)}`);
    }
    key = exportStateKey(game, state);
  } else {
    // Else the pictures identify the sample (with a question game's answer).
    const hash = createHash('sha256');
    for (const png of row.images) hash.update(png);
    key = `${truth.game}:${game.kind === 'question' ? game.truthText(expected) : ''}:${hash.digest('hex')}`;
  }
  if (row.stateKey !== undefined && state !== null && row.stateKey !== key) {
    report.fail('labels', `${where}: extra_info.state_key does not match the truth's state`);
  }
  return { game: truth.game, key };
}

export async function checkDataset(dir: string): Promise<CheckReport> {
  const report = new Report(dir);
  const r = report.r;
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    report.fail('manifest', `${dir} is not a directory`);
    return r;
  }
  if (!existsSync(manifestPath)) {
    report.fail('manifest', `no ${MANIFEST_FILE}: not a complete export (an interrupted export leaves none)`);
    return r;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (err) {
    report.fail('manifest', `${MANIFEST_FILE} is not JSON: ${(err as Error).message}`);
    return r;
  }
  if (manifest.format !== MANIFEST_FORMAT || !ENGINES.includes(manifest.engine)) {
    report.fail('manifest', `${MANIFEST_FILE}: format '${String(manifest.format)}' / engine '${String(manifest.engine)}' not recognised`);
    return r;
  }
  r.engine = manifest.engine;
  for (const f of manifest.files ?? []) {
    if (!existsSync(join(dir, f.path))) report.fail('manifest', `${f.path} is listed but missing`);
  }
  if (!r.ok) return r;

  const keys = new Map<string, Split>();
  for (const split of SPLITS) {
    const file = manifest.dataFiles[split];
    const rows =
      manifest.engine === 'openrlhf' ? jsonlRows(dir, file, split, manifest.imageRoot ?? dir, report) : parquetRows(manifest.engine, dir, file, split, report);
    for await (const row of rows) {
      r.rows[split]++;
      r.images += row.images.length;
      const checked = checkRow(row, report);
      if (!checked) continue;
      r.games[checked.game] = (r.games[checked.game] ?? 0) + 1;
      const before = keys.get(checked.key);
      if (before === split) report.fail('duplicates', `${split} row ${row.at}: the same state appears earlier in ${split}`);
      else if (before !== undefined) report.fail('splitOverlap', `${split} row ${row.at}: a state of ${before} appears in ${split} too`);
      else keys.set(checked.key, split);
    }
  }

  for (const split of SPLITS) {
    if (manifest.counts?.[split] !== r.rows[split])
      report.fail('counts', `${split}: manifest says ${manifest.counts?.[split]} rows, files have ${r.rows[split]}`);
  }
  if (manifest.images && manifest.images.count !== r.images) {
    report.fail('counts', `manifest says ${manifest.images.count} image files, rows reference ${r.images}`);
  }

  // Content hash: every file of the export but the manifest, as the export computed it.
  const files: WrittenFile[] = (manifest.files ?? []).map((f) => ({ path: f.path, ...sha256File(join(dir, f.path)) }));
  for (const f of files) {
    const listed = manifest.files.find((m) => m.path === f.path);
    if (listed && listed.sha256 !== f.sha256)
      report.fail('contentHash', `${f.path} changed since export (sha256 ${f.sha256.slice(0, 12)}, manifest ${listed.sha256.slice(0, 12)})`);
  }
  if (manifest.engine === 'openrlhf') {
    for (const split of SPLITS) {
      const imageDir = join('images', split);
      if (existsSync(join(dir, imageDir))) {
        for (const name of readdirSync(join(dir, imageDir)).sort()) files.push({ path: join(imageDir, name), ...sha256File(join(dir, imageDir, name)) });
      }
    }
  }
  if (contentHash(files) !== manifest.contentHash) report.fail('contentHash', 'content hash differs from the manifest (files changed, added or removed)');
  return r;
}
