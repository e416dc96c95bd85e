/**
 * Thin per-engine writers over the canonical record (docs/engines.md). Each one only re-shapes a
 * `SampleRecord` into the columns its engine's loader reads:
 *
 * | engine   | files                               | prompt                               | images                      | truth column                 |
 * |----------|-------------------------------------|--------------------------------------|-----------------------------|------------------------------|
 * | verl     | {split}.parquet                     | prompt: [{role, content: str}]       | images: [{bytes}]           | reward_model.ground_truth    |
 * | easyr1   | {split}.parquet                     | problem: str                         | images: [{bytes}]           | answer                       |
 * | openrlhf | {split}.jsonl + images/{split}/*.png | prompt: [{role, content: [parts]}]   | images: ["/abs/path.png"]   | label                        |
 * | trl      | {split}.parquet (+ HF features)     | prompt: [{role, content: [parts]}]   | images: [Image] (bytes,path) | ground_truth                 |
 *
 * Prompts carry one `<image>` per image (verl and EasyR1 split on it) or one `{"type":"image"}` part
 * per image (OpenRLHF, TRL), always in image order.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { contentParts, DATA_SOURCES, type SampleRecord, type Split } from './record';
import {
  bytesField,
  int64Field,
  listField,
  ParquetStreamWriter,
  stringField,
  structField,
  type ColumnWriteOptions,
} from './parquet';

export type Engine = 'verl' | 'easyr1' | 'openrlhf' | 'trl';
export const ENGINES: readonly Engine[] = ['verl', 'easyr1', 'openrlhf', 'trl'];

/** A file the export wrote, relative to the export directory, with its digest. */
export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface EngineWriter {
  /** The data files of this split, relative to the export directory (for the manifest). */
  readonly dataFile: string;
  write(record: SampleRecord): void;
  /** Closes the files; returns the files written besides `dataFile` (OpenRLHF's images), hashed as written. */
  finish(): WrittenFile[];
  /** Closes what is open, leaving files incomplete (the export deletes its staging directory). */
  abort(): void;
}

export interface WriterContext {
  /** Where files are written now (the staging directory). */
  stageDir: string;
  /** Absolute directory that OpenRLHF's image paths start with (default: the final export directory). */
  imageRoot: string;
  /** Rows per parquet row group. */
  rowGroupSize: number;
}

/** Files an engine reads, per split (what check-dataset looks for). */
export function dataFileName(engine: Engine, split: Split): string {
  return engine === 'openrlhf' ? `${split}.jsonl` : `${split}.parquet`;
}

export function openEngineWriter(engine: Engine, split: Split, ctx: WriterContext): EngineWriter {
  switch (engine) {
    case 'verl':
      return parquetWriter(engine, split, ctx, VERL_COLUMNS, verlRow);
    case 'easyr1':
      return parquetWriter(engine, split, ctx, EASYR1_COLUMNS, easyr1Row);
    case 'trl':
      return parquetWriter(engine, split, ctx, TRL_COLUMNS, trlRow, [{ key: 'huggingface', value: JSON.stringify(TRL_HF_FEATURES) }]);
    case 'openrlhf':
      return openrlhfWriter(split, ctx);
    default:
      throw new Error(`unknown engine '${String(engine)}'; engines: ${ENGINES.join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Parquet engines

const MESSAGE_TEXT = structField('message', [stringField('role'), stringField('content')]);
const IMAGE_BYTES = structField('image', [bytesField('bytes')]);
const CONTENT_PART = structField('part', [stringField('type'), stringField('text')]);
const MESSAGE_PARTS = structField('message', [stringField('role'), listField('content', CONTENT_PART)]);
/** Hugging Face's Image feature is stored as struct<bytes: binary, path: string>, in that order. */
const HF_IMAGE = structField('image', [bytesField('bytes'), stringField('path')]);

const IMAGES_COLUMN = (field: ColumnWriteOptions['field']): ColumnWriteOptions => ({ name: 'images', field, uncompressed: true, plain: true });

export const VERL_COLUMNS: ColumnWriteOptions[] = [
  { name: 'data_source', field: stringField('data_source') },
  { name: 'prompt', field: listField('prompt', MESSAGE_TEXT) },
  IMAGES_COLUMN(listField('images', IMAGE_BYTES)),
  { name: 'ability', field: stringField('ability') },
  { name: 'reward_model', field: structField('reward_model', [stringField('style'), stringField('ground_truth')]) },
  {
    name: 'extra_info',
    field: structField('extra_info', [
      stringField('split'),
      int64Field('index'),
      stringField('game'),
      int64Field('seed'),
      stringField('state_key'),
      stringField('state'),
    ]),
  },
];

function verlRow(r: SampleRecord): Record<string, unknown> {
  return {
    data_source: DATA_SOURCES[r.game],
    prompt: [{ role: 'user', content: r.prompt }],
    images: r.images.map((bytes) => ({ bytes })),
    ability: 'visual_game',
    reward_model: { style: 'rule', ground_truth: r.groundTruthJson },
    extra_info: {
      split: r.split,
      index: BigInt(r.index),
      game: r.game,
      seed: BigInt(r.seed),
      state_key: r.stateKey,
      state: JSON.stringify(r.state),
    },
  };
}

export const EASYR1_COLUMNS: ColumnWriteOptions[] = [
  { name: 'problem', field: stringField('problem') },
  { name: 'answer', field: stringField('answer') },
  IMAGES_COLUMN(listField('images', IMAGE_BYTES)),
  { name: 'data_source', field: stringField('data_source') },
];

function easyr1Row(r: SampleRecord): Record<string, unknown> {
  // Only the response and `answer` reach EasyR1's reward, so the truth (with the state) is the answer.
  return {
    problem: r.prompt,
    answer: r.groundTruthJson,
    images: r.images.map((bytes) => ({ bytes })),
    data_source: DATA_SOURCES[r.game],
  };
}

export const TRL_COLUMNS: ColumnWriteOptions[] = [
  { name: 'prompt', field: listField('prompt', MESSAGE_PARTS) },
  IMAGES_COLUMN(listField('images', HF_IMAGE)),
  { name: 'ground_truth', field: stringField('ground_truth') },
  { name: 'data_source', field: stringField('data_source') },
  { name: 'split', field: stringField('split') },
  { name: 'index', field: int64Field('index') },
];

/**
 * `datasets` features stored in the parquet footer: `images` decodes to PIL images (what TRL's
 * GRPOTrainer hands the processor). Order and types mirror TRL_COLUMNS exactly (datasets only applies
 * a feature whose arrow type equals the file's).
 */
export const TRL_HF_FEATURES = {
  info: {
    features: {
      prompt: {
        feature: {
          role: { dtype: 'string', _type: 'Value' },
          content: {
            feature: { type: { dtype: 'string', _type: 'Value' }, text: { dtype: 'string', _type: 'Value' } },
            _type: 'List',
          },
        },
        _type: 'List',
      },
      images: { feature: { _type: 'Image' }, _type: 'List' },
      ground_truth: { dtype: 'string', _type: 'Value' },
      data_source: { dtype: 'string', _type: 'Value' },
      split: { dtype: 'string', _type: 'Value' },
      index: { dtype: 'int64', _type: 'Value' },
    },
  },
};

function trlRow(r: SampleRecord): Record<string, unknown> {
  return {
    prompt: [{ role: 'user', content: contentParts(r.prompt) }],
    images: r.images.map((bytes, k) => ({ bytes, path: imageName(r.index, k) })),
    ground_truth: r.groundTruthJson,
    data_source: DATA_SOURCES[r.game],
    split: r.split,
    index: BigInt(r.index),
  };
}

function parquetWriter(
  engine: Engine,
  split: Split,
  ctx: WriterContext,
  columns: ColumnWriteOptions[],
  toRow: (r: SampleRecord) => Record<string, unknown>,
  kvMetadata?: { key: string; value: string }[],
): EngineWriter {
  const dataFile = dataFileName(engine, split);
  const out = new ParquetStreamWriter(join(ctx.stageDir, dataFile), { columns, rowGroupSize: ctx.rowGroupSize, kvMetadata });
  return {
    dataFile,
    write: (r) => out.append(toRow(r)),
    finish: () => {
      out.finish();
      return [];
    },
    abort: () => out.abort(),
  };
}

// ---------------------------------------------------------------------------------------------------
// OpenRLHF: JSON lines and one PNG file per image (its loader takes image paths).

/** `000123-0.png`: sample index within the split, image number within the sample. */
export function imageName(index: number, k: number): string {
  return `${String(index).padStart(6, '0')}-${k}.png`;
}

function openrlhfWriter(split: Split, ctx: WriterContext): EngineWriter {
  const dataFile = dataFileName('openrlhf', split);
  const imageDir = join('images', split);
  mkdirSync(join(ctx.stageDir, imageDir), { recursive: true });
  const fd = openSync(join(ctx.stageDir, dataFile), 'w');
  const images: WrittenFile[] = [];
  let open = true;
  return {
    dataFile,
    write(r) {
      const paths = r.images.map((bytes, k) => {
        const rel = join(imageDir, imageName(r.index, k));
        writeFileSync(join(ctx.stageDir, rel), bytes);
        images.push({ path: rel, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
        return join(ctx.imageRoot, rel);
      });
      const line = {
        prompt: [{ role: 'user', content: contentParts(r.prompt).map((p) => (p.type === 'image' ? { type: 'image' } : p)) }],
        images: paths,
        label: r.groundTruthJson,
        datasource: DATA_SOURCES[r.game],
        split: r.split,
        index: r.index,
      };
      const buf = Buffer.from(JSON.stringify(line) + '\n', 'utf8');
      let written = 0;
      while (written < buf.length) written += writeSync(fd, buf, written, buf.length - written);
    },
    finish() {
      if (open) closeSync(fd);
      open = false;
      return images;
    },
    abort() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
