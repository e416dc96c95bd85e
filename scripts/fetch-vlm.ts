/**
 * Fetches a SmolVLM or Qwen2-VL ONNX export (transformers.js layout, docs/local-vlm.md) from the Hugging
 * Face Hub into a local folder, for the local VLM player. Needs internet; nothing else in the project
 * downloads, and no test runs this script.
 *
 *   npx tsx scripts/fetch-vlm.ts smolvlm-256m                      # -> models/SmolVLM-256M-Instruct (q4 + fp32 vision)
 *   npx tsx scripts/fetch-vlm.ts qwen2-vl-2b --dtype q4f16
 *   npx tsx scripts/fetch-vlm.ts --repo onnx-community/SmolVLM-500M-Instruct --dtype decoder_model_merged=q4,vision_encoder=fp16,embed_tokens=q4
 *
 * Files are written to NAME.part and renamed when complete, so an interrupted fetch never leaves a
 * truncated ONNX file under its real name. HF_TOKEN, when set, is sent for gated repositories.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { onnxFile, parseDtypeSpec, VLM_MODULES, type VlmDtype, type VlmModule } from '../src/model/vlm/layout';

export const PRESETS: Record<string, { repo: string; dtypes: Record<VlmModule, VlmDtype> }> = {
  'smolvlm-256m': { repo: 'onnx-community/SmolVLM-256M-Instruct', dtypes: { vision_encoder: 'fp32', embed_tokens: 'q4', decoder_model_merged: 'q4' } },
  'smolvlm-500m': { repo: 'onnx-community/SmolVLM-500M-Instruct', dtypes: { vision_encoder: 'fp32', embed_tokens: 'q4', decoder_model_merged: 'q4' } },
  'qwen2-vl-2b': { repo: 'onnx-community/Qwen2-VL-2B-Instruct', dtypes: { vision_encoder: 'q4', embed_tokens: 'q4', decoder_model_merged: 'q4' } },
};

/** Files every export needs, then those only some have (a 404 on these is fine). */
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json'];
const OPTIONAL = ['generation_config.json', 'processor_config.json', 'chat_template.json', 'chat_template.jinja', 'special_tokens_map.json'];

async function download(url: string, file: string, token: string | undefined, optional: boolean): Promise<boolean> {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, redirect: 'follow' });
  if (res.status === 404 && optional) return false;
  if (!res.ok || !res.body) throw new Error(`GET ${url}: HTTP ${res.status} ${res.statusText}${res.status === 401 ? ' (gated or private: set HF_TOKEN)' : ''}`);
  const expected = Number(res.headers.get('content-length') ?? NaN);
  if (existsSync(file) && statSync(file).size === expected) {
    await res.body.cancel();
    process.stderr.write(`  ${file} (already here)\n`);
    return true;
  }
  mkdirSync(dirname(file), { recursive: true });
  const part = `${file}.part`;
  try {
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(part));
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
  renameSync(part, file);
  process.stderr.write(`  ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)\n`);
  return true;
}

export async function fetchVlm(opts: { repo: string; dtypes: Record<VlmModule, VlmDtype>; out: string; revision: string; host: string }): Promise<void> {
  const token = process.env.HF_TOKEN || undefined;
  const base = `${opts.host.replace(/\/$/, '')}/${opts.repo}/resolve/${encodeURIComponent(opts.revision)}/`;
  process.stderr.write(`fetching ${opts.repo}@${opts.revision} into ${opts.out}\n`);
  for (const f of REQUIRED) await download(base + f, join(opts.out, f), token, false);
  for (const f of OPTIONAL) await download(base + f, join(opts.out, f), token, true);
  for (const m of VLM_MODULES) {
    const f = onnxFile(m, opts.dtypes[m]);
    await download(base + f, join(opts.out, f), token, false);
    // Exports over 2 GB keep their weights beside the graph (config.json says use_external_data_format).
    await download(`${base}${f}_data`, join(opts.out, `${f}_data`), token, true);
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const program = new Command('fetch-vlm')
    .description('fetch a SmolVLM or Qwen2-VL ONNX export (transformers.js layout) into a local folder; needs internet')
    .argument('[preset]', `one of ${Object.keys(PRESETS).join(', ')} (or give --repo)`)
    .option('--repo <owner/name>', 'a Hugging Face repository with a transformers.js export (onnx/ folder)')
    .option('--dtype <spec>', "one dtype for every module (fp32, fp16, q4, q4f16) or module=dtype,... (default: the preset's)")
    .option('--out <dir>', 'target folder (default: models/<repo name>)')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--host <url>', 'hub address', 'https://huggingface.co')
    .action(async (preset: string | undefined, o: { repo?: string; dtype?: string; out?: string; revision: string; host: string }) => {
      const known = preset ? PRESETS[preset] : undefined;
      if (preset && !known) program.error(`unknown preset '${preset}'; valid: ${Object.keys(PRESETS).join(', ')} (or --repo OWNER/NAME)`, { exitCode: 2 });
      const repo = o.repo ?? known?.repo ?? '';
      if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) program.error(`give a preset (${Object.keys(PRESETS).join(', ')}) or --repo OWNER/NAME`, { exitCode: 2 });
      let requested: Partial<Record<VlmModule, VlmDtype>> = {};
      try {
        requested = parseDtypeSpec(o.dtype ?? '');
      } catch (e) {
        program.error((e as Error).message, { exitCode: 2 });
      }
      const fallback: Record<VlmModule, VlmDtype> = known?.dtypes ?? { vision_encoder: 'fp32', embed_tokens: 'q4', decoder_model_merged: 'q4' };
      const dtypes = { ...fallback, ...requested };
      const out = resolve(o.out ?? join('models', repo.split('/')[1] as string));
      try {
        await fetchVlm({ repo, dtypes, out, revision: o.revision, host: o.host });
        process.stdout.write(`${out}\n`);
      } catch (e) {
        process.stderr.write(`fetch-vlm: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
  await program.parseAsync();
}
