/**
 * Streaming parquet output over hyparquet-writer: rows are buffered into row groups of `rowGroupSize`
 * and each group is encoded and written to the file descriptor as soon as it is full, so memory is
 * bounded by one row group whatever the dataset size.
 *
 * Nested columns (the engines read `prompt: list<struct<role, content>>`, `images: list<struct<bytes>>`,
 * `reward_model: struct<style, ground_truth>`) are described with the small schema builders below and
 * written through hyparquet-writer's Dremel encoder. Lists use the standard three-level LIST layout with
 * the element named `item`, so pyarrow reads `list<item: ...>`, the type Hugging Face `datasets` builds
 * for its own features (its feature metadata only applies when the arrow types match exactly).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';

/**
 * hyparquet-writer brings its own copy of hyparquet (1.31) whose SchemaElement type is nominally a
 * different one from the project's hyparquet 1.33: take the writer's, structurally the same.
 */
type WriterOptions = ConstructorParameters<typeof ParquetWriter>[0];
export type SchemaElement = WriterOptions['schema'][number];
type KeyValue = NonNullable<WriterOptions['kvMetadata']>[number];

/** A ByteWriter that hands each finished row group to a file descriptor and reuses its buffer. */
class FileByteWriter extends ByteWriter {
  private readonly fd: number;
  constructor(fd: number) {
    super(1 << 20);
    this.fd = fd;
  }
  /** Called by hyparquet-writer after every row group; `offset` keeps counting file positions. */
  flush(): void {
    const chunk = this.getBytes();
    let written = 0;
    while (written < chunk.length) written += writeSync(this.fd, chunk, written, chunk.length - written);
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
}

// ---------------------------------------------------------------------------------------------------
// Schema builders: each returns the flat, depth-first SchemaElement list of one field.

/** A field as a flat list of schema elements, its root first (parquet's depth-first schema layout). */
export type FieldSchema = SchemaElement[];

export function stringField(name: string, optional = true): FieldSchema {
  return [{ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: optional ? 'OPTIONAL' : 'REQUIRED' }];
}

export function bytesField(name: string, optional = true): FieldSchema {
  return [{ name, type: 'BYTE_ARRAY', repetition_type: optional ? 'OPTIONAL' : 'REQUIRED' }];
}

export function int64Field(name: string, optional = true): FieldSchema {
  return [{ name, type: 'INT64', repetition_type: optional ? 'OPTIONAL' : 'REQUIRED' }];
}

export function structField(name: string, children: FieldSchema[], optional = true): FieldSchema {
  return [
    { name, repetition_type: optional ? 'OPTIONAL' : 'REQUIRED', num_children: children.length },
    ...children.flat(),
  ];
}

/** `list<item: element>`; the element schema's own name is replaced by `item`. */
export function listField(name: string, element: FieldSchema, optional = true): FieldSchema {
  const [head, ...rest] = element;
  if (!head) throw new Error(`listField ${name}: empty element schema`);
  return [
    { name, repetition_type: optional ? 'OPTIONAL' : 'REQUIRED', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { ...head, name: 'item' },
    ...rest,
  ];
}

/** Per-column write options: PNG bytes are already compressed, so they skip snappy and dictionaries. */
export interface ColumnWriteOptions {
  name: string;
  field: FieldSchema;
  /** Store the leaf pages uncompressed (default false: snappy). */
  uncompressed?: boolean;
  /** PLAIN encoding, no dictionary attempt (default false: the writer picks). */
  plain?: boolean;
}

export interface ParquetStreamOptions {
  columns: ColumnWriteOptions[];
  /** Rows per row group (default 512): the memory bound and the unit a reader fetches. */
  rowGroupSize?: number;
  /** Key-value metadata in the footer (e.g. Hugging Face `huggingface` features). */
  kvMetadata?: KeyValue[];
}

/** Appends rows to a parquet file, flushing a row group every `rowGroupSize` rows. Synchronous I/O. */
export class ParquetStreamWriter {
  readonly path: string;
  private readonly fd: number;
  private readonly columns: ColumnWriteOptions[];
  private readonly rowGroupSize: number;
  private readonly writer: ParquetWriter;
  private pending: Record<string, unknown>[] = [];
  private closed = false;
  rows = 0;

  constructor(path: string, opts: ParquetStreamOptions) {
    this.path = path;
    this.columns = opts.columns;
    this.rowGroupSize = opts.rowGroupSize ?? 512;
    if (!Number.isInteger(this.rowGroupSize) || this.rowGroupSize < 1) {
      throw new Error(`ParquetStreamWriter: rowGroupSize must be a positive integer, got ${this.rowGroupSize}`);
    }
    const schema: SchemaElement[] = [{ name: 'root', num_children: opts.columns.length }, ...opts.columns.flatMap((c) => c.field)];
    this.fd = openSync(path, 'w');
    this.writer = new ParquetWriter({
      writer: new FileByteWriter(this.fd),
      schema,
      // Min/max of PNG bytes and long prompts are useless to readers and cost a pass over every value.
      statistics: false,
      kvMetadata: opts.kvMetadata,
      createdBy: 'vigal-playground export (hyparquet-writer 0.17.0)',
    });
  }

  append(row: Record<string, unknown>): void {
    if (this.closed) throw new Error(`ParquetStreamWriter: ${this.path} is already finished`);
    this.pending.push(row);
    this.rows++;
    if (this.pending.length >= this.rowGroupSize) this.flushGroup();
  }

  /** Writes the last partial row group, the footer, and closes the file. */
  finish(): void {
    if (this.closed) return;
    this.flushGroup();
    const done = this.writer.finish();
    if (done instanceof Promise) throw new Error('ParquetStreamWriter: unexpected asynchronous finish');
    closeSync(this.fd);
    this.closed = true;
  }

  /** Closes the descriptor without a footer (the file stays unreadable as parquet, by design). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private flushGroup(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    const columnData: ColumnSource[] = this.columns.map((c) => ({
      name: c.name,
      data: rows.map((r) => r[c.name]),
      ...(c.uncompressed ? { codec: 'UNCOMPRESSED' as const } : {}),
      ...(c.plain ? { encoding: 'PLAIN' as const } : {}),
    }));
    const done = this.writer.write({ columnData, rowGroupSize: rows.length });
    if (done instanceof Promise) throw new Error('ParquetStreamWriter: unexpected asynchronous write');
  }
}
