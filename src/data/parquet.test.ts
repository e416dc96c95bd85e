import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { bytesField, int64Field, listField, ParquetStreamWriter, stringField, structField } from './parquet.node.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigal-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ParquetStreamWriter', () => {
  it('writes nested lists and structs that read back as the same objects, one row group per N rows', async () => {
    const path = join(dir, 'nested.parquet');
    const w = new ParquetStreamWriter(path, {
      rowGroupSize: 2,
      columns: [
        { name: 'prompt', field: listField('prompt', structField('m', [stringField('role'), stringField('content')])) },
        { name: 'images', field: listField('images', structField('i', [bytesField('bytes')])), uncompressed: true, plain: true },
        { name: 'reward_model', field: structField('reward_model', [stringField('style'), stringField('ground_truth')]) },
        { name: 'index', field: int64Field('index') },
      ],
      kvMetadata: [{ key: 'note', value: 'hello' }],
    });
    const rows = Array.from({ length: 5 }, (_, i) => ({
      prompt: [{ role: 'user', content: `<image>${'<image>'.repeat(i % 2)}question ${i}` }],
      images: Array.from({ length: 1 + (i % 2) }, (_, k) => ({ bytes: Uint8Array.of(137, 80, 78, 71, i, k) })),
      reward_model: { style: 'rule', ground_truth: `{"i":${i}}` },
      index: BigInt(i),
    }));
    for (const r of rows) w.append(r);
    w.finish();

    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    // 5 rows in groups of 2: 2 + 2 + 1.
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([2, 2, 1]);
    expect(metadata.key_value_metadata).toEqual([{ key: 'note', value: 'hello' }]);
    // Three-level lists with the element named `item` (what pyarrow and Hugging Face datasets build).
    expect(metadata.schema.map((e) => e.name)).toEqual([
      'root',
      'prompt',
      'list',
      'item',
      'role',
      'content',
      'images',
      'list',
      'item',
      'bytes',
      'reward_model',
      'style',
      'ground_truth',
      'index',
    ]);
    const back = await parquetReadObjects({ file, utf8: false });
    expect(back).toEqual(rows);
  });

  it('writes a valid empty file when no row is appended', async () => {
    const path = join(dir, 'empty.parquet');
    const w = new ParquetStreamWriter(path, { columns: [{ name: 's', field: stringField('s') }] });
    w.finish();
    const file = await asyncBufferFromFile(path);
    expect(Number((await parquetMetadataAsync(file)).num_rows)).toBe(0);
  });

  it('rejects appends after finish', () => {
    const w = new ParquetStreamWriter(join(dir, 'closed.parquet'), { columns: [{ name: 's', field: stringField('s') }] });
    w.finish();
    expect(() => w.append({ s: 'x' })).toThrow(/already finished/);
  });
});
