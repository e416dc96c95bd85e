/**
 * Policy specs, the one place they are parsed and written. The same strings name a player on the command
 * line (`vigal eval --policies ...`), in the URL and stores of the app (`player=nano:NAME`), in Evaluate's
 * suite and in saved episodes (their policy id):
 *
 *   nano | nano:NAME_OR_PATH       a nano checkpoint (bare `nano`: the default model)
 *   bot:NAME                       a rule-based bot (bare NAME too, where `bareBotNames` allows it: the CLI)
 *   openai | openai:MODEL[@URL]    an OpenAI-compatible server (bare: the one connected in the app; the URL
 *                                  is split at the last '@', model names may hold ':' and '/', URLs no '@')
 *   local | local:PATH[@DTYPE]     a transformers.js VLM export (bare: the one loaded in the app; DTYPE is
 *                                  what follows the last '@' when it holds no '/')
 *   local-picked                   a VLM folder picked from this computer (the app's directory picker)
 *   human                          you, answering in Evaluate
 *
 * Parsing only reads the string: whether the folder exists or the server answers is for whoever loads it.
 */
import { ALL_BOT_NAMES as BOT_NAMES } from '../games/registry';

/** A bot some registered game offers (registry ALL_BOT_NAMES); which games it plays is the games' say (policy/bots.ts). */
export type BotName = string;

export type PolicySpec =
  | { kind: 'nano'; model: string | null }
  | { kind: 'bot'; bot: BotName }
  | { kind: 'openai'; model: string | null; baseURL: string | null }
  | { kind: 'local'; path: string | null; dtype: string | null }
  | { kind: 'local-picked' }
  | { kind: 'human' };

export type PolicyKind = PolicySpec['kind'];

/** A spec that does not parse; the message names the forms that do. */
export class PolicySpecError extends Error {
  override name = 'PolicySpecError';
}

export const POLICY_SPEC_FORMS = `nano, nano:NAME, bot:NAME (${BOT_NAMES.join(', ')}), openai:MODEL@BASE_URL, local:PATH[@DTYPE]`;

export interface ParseOptions {
  /** Accept a bot's bare name (`greedy` for `bot:greedy`), as the command line does. */
  bareBotNames?: boolean;
}

function isBot(name: string): name is BotName {
  return BOT_NAMES.includes(name);
}

/** Splits `text` at its last '@' into [before, after]; no '@': [text, null]. */
function splitAt(text: string): [string, string | null] {
  const at = text.lastIndexOf('@');
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
}

export function parsePolicySpec(text: string, options: ParseOptions = {}): PolicySpec {
  const s = text.trim();
  const colon = s.indexOf(':');
  const head = colon < 0 ? s : s.slice(0, colon);
  const rest = colon < 0 ? null : s.slice(colon + 1);
  switch (head) {
    case 'nano':
      if (rest === null) return { kind: 'nano', model: null };
      if (!rest.trim()) throw new PolicySpecError(`policy '${text}' names no model; write nano:NAME (a folder under models/ or a path)`);
      return { kind: 'nano', model: rest.trim() };
    case 'bot': {
      const bot = (rest ?? '').trim();
      if (!isBot(bot)) throw new PolicySpecError(`unknown bot '${bot}' in '${text}'; valid: ${BOT_NAMES.join(', ')}`);
      return { kind: 'bot', bot };
    }
    case 'openai': {
      if (rest === null) return { kind: 'openai', model: null, baseURL: null };
      const [model, url] = splitAt(rest);
      if (!model.trim())
        throw new PolicySpecError(`policy '${text}' names no model; write openai:MODEL@BASE_URL, e.g. openai:ViGaL-7B@http://127.0.0.1:8000/v1`);
      return { kind: 'openai', model: model.trim(), baseURL: url?.trim() || null };
    }
    case 'local': {
      if (rest === null) return { kind: 'local', path: null, dtype: null };
      const [path, after] = splitAt(rest);
      // An '@' inside a path ("out/run@2/model") is part of it: a dtype holds no '/'.
      const dtype = after !== null && path && !after.includes('/') ? after.trim() : null;
      const folder = (dtype === null ? rest : path).trim();
      if (!folder)
        throw new PolicySpecError(`policy '${text}' names no folder; write local:PATH (a SmolVLM/Qwen2-VL export), e.g. local:models/SmolVLM-256M-Instruct`);
      return { kind: 'local', path: folder, dtype };
    }
    case 'local-picked':
    case 'human':
      if (rest === null) return { kind: head };
      break;
    default:
      if (rest === null && options.bareBotNames && isBot(s)) return { kind: 'bot', bot: s };
  }
  throw new PolicySpecError(`unknown policy '${text}'; use ${POLICY_SPEC_FORMS}`);
}

/** The spec, or null where it does not parse (for ids read from files and URLs). */
export function tryParsePolicySpec(text: string, options: ParseOptions = {}): PolicySpec | null {
  try {
    return parsePolicySpec(text, options);
  } catch (e) {
    if (e instanceof PolicySpecError) return null;
    throw e;
  }
}

/** The canonical string of a spec (parsePolicySpec's inverse: formatting what it returns gives it back). */
export function formatPolicySpec(spec: PolicySpec): string {
  switch (spec.kind) {
    case 'nano':
      return spec.model === null ? 'nano' : `nano:${spec.model}`;
    case 'bot':
      return `bot:${spec.bot}`;
    case 'openai':
      return spec.model === null ? 'openai' : `openai:${spec.model}${spec.baseURL ? `@${spec.baseURL}` : ''}`;
    case 'local':
      return spec.path === null ? 'local' : `local:${spec.path}${spec.dtype ? `@${spec.dtype}` : ''}`;
    case 'local-picked':
    case 'human':
      return spec.kind;
  }
}

/**
 * What a `local:` spec names as one string, `PATH[@DTYPE]`: in the app, whose local models are folders
 * under /models/, this whole string is the folder's name.
 */
export function localTarget(spec: Extract<PolicySpec, { kind: 'local' }>): string | null {
  return spec.path === null ? null : spec.dtype === null ? spec.path : `${spec.path}@${spec.dtype}`;
}

/** The kind of a spec string, or null where it does not parse. */
export function policyKind(text: string): PolicyKind | null {
  return tryParsePolicySpec(text)?.kind ?? null;
}

/** The name a player shows without its kind: the model, the bot, the server's model, the folder. */
export function policyName(text: string): string {
  const spec = tryParsePolicySpec(text);
  if (spec === null) return text;
  switch (spec.kind) {
    case 'nano':
      return spec.model ?? 'nano';
    case 'bot':
      return spec.bot;
    case 'openai':
      return spec.model ?? 'openai';
    case 'local':
      return spec.path ?? 'local';
    default:
      return spec.kind;
  }
}
