/**
 * The tiny SmolVLM-layout model: the folder holds what transformers.js reads, the tokenizer covers every
 * byte, and the decoder's KV cache is consistent (one prefill of n tokens gives the same last logits as
 * a prefill of n-1 and one cached step), run in onnxruntime-web's WASM build.
 */
import { describe, expect, it } from 'vitest';
import type * as OrtModule from 'onnxruntime-web';
import { createSession, loadOrt } from '../../runtime/ort';
import { inspectVlmFolder } from './layout';
import { bytesToUnicode } from './byteTokenizer';
import { TINY_DIMS, tinyVlmFiles } from './tiny';

const files = tinyVlmFiles({ seed: 3 });
const text = (p: string) => new TextDecoder().decode(files.get(p));

describe('tiny VLM folder', () => {
  it('has the SmolVLM layout, with a q4 decoder as a second dtype', () => {
    const folder = inspectVlmFolder([...files.keys()], JSON.parse(text('config.json')));
    expect(folder.modelType).toBe('idefics3');
    expect(folder.dtypes).toEqual({ vision_encoder: ['fp32'], embed_tokens: ['fp32'], decoder_model_merged: ['fp32', 'q4'] });
    expect(JSON.parse(text('processor_config.json'))).toMatchObject({ image_seq_len: 4 }); // (32 / 16)^2 patches
  });

  it('is deterministic in its seed', () => {
    expect(tinyVlmFiles({ seed: 3 }).get('onnx/decoder_model_merged.onnx')).toEqual(files.get('onnx/decoder_model_merged.onnx'));
    expect(tinyVlmFiles({ seed: 4 }).get('onnx/decoder_model_merged.onnx')).not.toEqual(files.get('onnx/decoder_model_merged.onnx'));
  });

  it('maps all 256 bytes to distinct vocabulary entries', () => {
    const table = bytesToUnicode();
    expect(new Set(table).size).toBe(256);
    expect(table[65]).toBe('A'); // printable ASCII maps to itself
    expect(table[32]).toBe('Ġ'); // space, as in GPT-2
    const tok = JSON.parse(text('tokenizer.json')) as { model: { vocab: Record<string, number> }; added_tokens: { content: string; id: number }[] };
    expect(Object.keys(tok.model.vocab)).toHaveLength(256);
    expect(tok.added_tokens.find((t) => t.content === '<image>')?.id).toBe(JSON.parse(text('config.json')).image_token_id);
  });
});

describe('tiny VLM decoder in onnxruntime-web', () => {
  const d = TINY_DIMS;
  const run = async (
    session: OrtModule.InferenceSession,
    ort: typeof OrtModule,
    embeds: Float32Array,
    seq: number,
    past: number,
    cache: Record<string, OrtModule.Tensor> | null,
  ) => {
    const feeds: Record<string, OrtModule.Tensor> = {
      inputs_embeds: new ort.Tensor('float32', embeds, [1, seq, d.hidden]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(past + seq).fill(1n), [1, past + seq]),
      position_ids: new ort.Tensor(
        'int64',
        BigInt64Array.from({ length: seq }, (_, i) => BigInt(past + i)),
        [1, seq],
      ),
    };
    for (let i = 0; i < d.layers; i++) {
      for (const kind of ['key', 'value']) {
        feeds[`past_key_values.${i}.${kind}`] = cache?.[`present.${i}.${kind}`] ?? new ort.Tensor('float32', new Float32Array(0), [1, d.kvHeads, 0, d.headDim]);
      }
    }
    return session.run(feeds);
  };

  for (const quant of ['fp32', 'q4'] as const) {
    it(`${quant}: a cached step matches a full prefill`, async () => {
      const { ort } = await loadOrt(['wasm']);
      const bytes = files.get(quant === 'fp32' ? 'onnx/decoder_model_merged.onnx' : 'onnx/decoder_model_merged_q4.onnx') as Uint8Array;
      const session = await createSession(ort, bytes);
      const n = 7;
      const embeds = Float32Array.from({ length: n * d.hidden }, (_, i) => Math.sin(i * 0.37));
      const full = await run(session, ort, embeds, n, 0, null);
      const prefix = await run(session, ort, embeds.slice(0, (n - 1) * d.hidden), n - 1, 0, null);
      const step = await run(session, ort, embeds.slice((n - 1) * d.hidden), 1, n - 1, prefix);
      const V = d.vocabSize;
      const lastFull = (full.logits?.data as Float32Array).slice((n - 1) * V, n * V);
      const lastStep = step.logits?.data as Float32Array;
      expect(step['present.0.key']?.dims).toEqual([1, d.kvHeads, n, d.headDim]);
      let maxDiff = 0;
      for (let i = 0; i < V; i++) maxDiff = Math.max(maxDiff, Math.abs((lastFull[i] as number) - (lastStep[i] as number)));
      expect(maxDiff).toBeLessThan(1e-4);
      await session.release();
    });
  }
});
