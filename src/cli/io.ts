/** Line-oriented I/O shared by the CLI commands: JSON lines in on stdin, JSON lines out on stdout. */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { UserError } from '../util/userError';

/** A bad argument or input given to a command: the CLI prints its message (no stack) and exits with status 2. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

export interface JsonLine {
  /** 1-based line number in the input, for error messages. */
  line: number;
  value: unknown;
  /** Set instead of `value` when the line is not valid JSON. */
  error?: string;
}

/** Reads non-empty lines and parses each as JSON; a bad line is reported in `error`, never thrown. */
export async function* readJsonLines(input: Readable): AsyncGenerator<JsonLine> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (err) {
      yield { line, value: undefined, error: `line ${line}: not valid JSON (${(err as Error).message})` };
    }
  }
}

/** Writes one JSON value per line, respecting back-pressure so huge outputs keep memory bounded. */
export async function writeJsonLine(out: Writable, value: unknown): Promise<void> {
  if (!out.write(JSON.stringify(value) + '\n')) {
    await new Promise<void>((resolve) => out.once('drain', resolve));
  }
}

/** A value as a usage error quotes it: at most 60 characters, so a pasted megabyte stays a one-line message. */
export function quoted(raw: string): string {
  return raw.length <= 60 ? `'${raw}'` : `'${raw.slice(0, 57)}...' (${raw.length} characters)`;
}

/** Parses a non-negative integer option, naming the option in the error. */
export function parseIntOption(name: string, raw: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`${name} must be an integer, got ${quoted(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Parses one of a fixed set of choices, listing the valid ones in the error. */
export function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`${name} must be one of ${choices.join(', ')}; got ${quoted(raw)}`);
}

/**
 * `--set key=value` flags: a question game's settings as its URL parameters name them (games/game.ts,
 * QuestionGame.settings; `vigal games --json` lists each game's), checked against the game's fixed
 * choices where it has them. Returns a getter for `settings.parse`.
 */
export function settingFlags(pairs: readonly string[] | undefined, choices: Readonly<Record<string, readonly string[]>> = {}): (key: string) => string | null {
  const given = new Map<string, string>();
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects key=value (e.g. grid=3); got ${quoted(pair)}`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const allowed = choices[key];
    if (allowed !== undefined) parseChoice(`--set ${key}`, value, allowed);
    given.set(key, value);
  }
  return (key) => given.get(key) ?? null;
}
