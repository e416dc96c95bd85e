/**
 * Policy names on the command line: `nano` (the default checkpoint in models/), `nano:PATH` (a model
 * folder), `bot:NAME` or just `NAME` for the rule-based bots.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOT_NAMES, type SnakeBotName } from '../games/snake';
import { DEFAULT_MODEL } from '../model/files';
import { BotPolicy } from '../policy/bots';
import { NanoPolicy, type NanoSampling } from '../policy/nano';
import type { Policy } from '../policy/types';
import { loadNanoModel } from '../runtime/model';
import { UsageError } from './io';

/** The project's models/ folder (shipped checkpoints). */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

export const POLICY_HELP = `nano (models/${DEFAULT_MODEL}), nano:PATH (a model folder or a name under models/), bot:NAME or NAME (${BOT_NAMES.join(', ')})`;

export async function resolvePolicy(spec: string, sampling: NanoSampling = {}): Promise<Policy> {
  const s = spec.trim();
  const bot = s.startsWith('bot:') ? s.slice(4) : s;
  if ((BOT_NAMES as readonly string[]).includes(bot)) return new BotPolicy(bot as SnakeBotName, sampling.seed ?? 0);
  if (s === 'nano' || s.startsWith('nano:')) {
    const named = s === 'nano' ? DEFAULT_MODEL : s.slice(5);
    const folder = existsSync(named) ? resolve(named) : resolve(MODELS_DIR, named);
    if (!existsSync(folder)) throw new UsageError(`policy '${spec}': no model folder at ${named} or ${folder}`);
    return new NanoPolicy(await loadNanoModel(folder, { executionProviders: ['wasm'] }), sampling);
  }
  throw new UsageError(`unknown policy '${spec}'; use ${POLICY_HELP}`);
}
