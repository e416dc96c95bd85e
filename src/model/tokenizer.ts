/**
 * The nano model's tokenizer: word level over the games' small language, with a character fallback.
 *
 * Pieces. Text is cut into: the added tokens (special tokens and the answer/think tags, matched first,
 * as Hugging Face tokenizers does); runs of ASCII letters (words); single digits (so coordinates are
 * digit sequences: "10" = "1" "0"); newlines; and every other non-space character on its own. Spaces are
 * not pieces.
 * Ids. A word in the vocabulary is one id; any other word is spelled with single-letter ids (every
 * printable ASCII character has an id, and `buildVocabulary` adds the non-ASCII characters of its
 * corpus); a character with no id is [UNK].
 * Spaces. Decoding puts a space between two tokens by a fixed rule (`spaceBefore`: words are separated,
 * "(" and "[" glue to what follows, ")" "," "." ":" glue to what precedes, digits glue to digits, the
 * letters of a spelled word glue, quotes pair up...). Where the text's spacing differs from the rule the
 * encoder emits [SP] (a space the rule would omit) or [NOSP] (no space where the rule puts one). So
 *   decode(encode(t)) === normalizeText(t)
 * for every text whose characters all have ids: whitespace runs collapse to one space, "\r\n" becomes
 * "\n", trailing spaces go. Compact prompts and traces that follow the rule's spacing cost no markers.
 *
 * File. `toJSON()` is a Hugging Face tokenizers `tokenizer.json` (WordLevel model, a Split pre-tokenizer
 * with the piece regex, the specials and tags as added tokens). Its ids agree with ours for text made of
 * vocabulary words, digits and punctuation; HF has no character fallback (an unknown word is [UNK] there)
 * and its WordPiece decoder only approximates our spacing (words joined by spaces). The exact rule lives
 * here; the answer parsers read the same tags and moves from either.
 */

export const PAD = '[PAD]';
export const BOS = '[BOS]';
export const EOS = '[EOS]';
export const UNK = '[UNK]';
/** Spacing markers (see header): a space the rule would not put, and no space where it would. */
export const SP = '[SP]';
export const NOSP = '[NOSP]';
export const SPECIAL_TOKENS = [PAD, BOS, EOS, UNK, SP, NOSP] as const;

/** The answer and think tags of both games (docs/games.md), one token each. */
export const TAG_TOKENS = [
  '<think>',
  '</think>',
  '<best_answer>',
  '</best_answer>',
  '<worst_answer>',
  '</worst_answer>',
  '<answer>',
  '</answer>',
] as const;

export const NEWLINE = '\n';

/** Printable ASCII without the space: the character table every vocabulary has. */
export const ASCII_CHARS: readonly string[] = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i));

/**
 * Words of the games' compact prompts and reasoning traces, used when no corpus is given (tests, the
 * random-init model). `buildVocabulary` ranks a real corpus's words instead.
 */
export const DEFAULT_WORDS: readonly string[] = [
  // moves and answers
  'UP', 'DOWN', 'LEFT', 'RIGHT', 'None', 'none',
  // snake prompt
  'Snake', 'snake', 'You', 'you', 'Enemy', 'enemy', 'Apples', 'apples', 'apple', 'Apple', 'Last', 'last', 'move',
  'moves', 'Move', 'Worst', 'worst', 'Best', 'best', 'head', 'Head', 'body', 'Body', 'tail', 'off', 'board', 'onto',
  'safe', 'nearest', 'near', 'Answer', 'answer', 'bottom', 'top', 'left', 'right', 'up', 'down', 'red', 'blue',
  'green', 'wall', 'own', 'free', 'dist', 'distance', 'cell', 'dies', 'die', 'death', 'hits', 'hit', 'ok', 'so',
  'is', 'are', 'the', 'at', 'to', 'of', 'on', 'in', 'or', 'and', 'an', 'not', 'no', 'from', 'new', 'by', 'it',
  'all', 'then', 'with', 'grow', 'Check', 'check', 'Moves', 'Safe', 'safe', 'Nearest', 'me', 'my',
  // rotation prompt and traces
  'Image', 'image', 'object', 'turns', 'turn', 'degrees', 'plane', 'what', 'angle', 'does', 'Options', 'Format',
  'counter', 'clockwise', 'reasoning', 'feature', 'point', 'cube', 'centre', 'center', 'quarter', 'half',
  'rotation', 'rotated', 'same', 'example', 'colour', 'orange', 'yellow', 'purple', 'grey', 'white', 'Feature',
  'goes', 'maps', 'so', 'thus', 'which',
];

export interface EncodeOptions {
  /** Prepend [BOS]. */
  bos?: boolean;
  /** Append [EOS]. */
  eos?: boolean;
}

export interface DecodeOptions {
  /** Drop [PAD], [BOS], [EOS] (default true); [UNK] always decodes to U+FFFD. */
  skipSpecial?: boolean;
}

/** The text the encoder sees: "\r\n" and "\r" -> "\n", runs of other whitespace -> one space, no trailing spaces. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ +$/, '');
}

/** The piece regex, shared with the tokenizer.json pre-tokenizer (Split, invert: the matches are kept). */
export const PIECE_PATTERN = '[A-Za-z]+|[0-9]|\\n|[^\\sA-Za-z0-9]';

const LETTER = /^[A-Za-z]$/;
const DIGIT = /^[0-9]$/;
const GLUE_AFTER = new Set(['(', '[', '{']);
const GLUE_BEFORE = new Set([')', ']', '}', ',', '.', ':', ';', '!', '?', '%']);
const QUOTES = new Set(["'", '"']);
const TAG_SET: ReadonlySet<string> = new Set(TAG_TOKENS);

/** The decoder's state: the last two visible tokens and which quotes are open. */
interface SpacingState {
  prev: string | null;
  prev2: string | null;
  openQuotes: Set<string>;
}

const freshState = (): SpacingState => ({ prev: null, prev2: null, openQuotes: new Set() });

/** Whether the default rule puts a space before `cur` (see header). Pure; `advance` updates the state. */
function spaceBefore(s: SpacingState, cur: string): boolean {
  const prev = s.prev;
  if (prev === null) return false;
  if (prev === NEWLINE || cur === NEWLINE) return false;
  if (TAG_SET.has(prev) || TAG_SET.has(cur)) return false;
  if (QUOTES.has(cur)) return !s.openQuotes.has(cur) && !GLUE_AFTER.has(prev); // opening quote: spaced; closing: glued
  if (QUOTES.has(prev) && s.openQuotes.has(prev)) return false; // just after an opening quote
  if (GLUE_AFTER.has(prev) || GLUE_BEFORE.has(cur)) return false;
  if (DIGIT.test(prev) && DIGIT.test(cur)) return false; // 10, 42
  if (LETTER.test(prev) && LETTER.test(cur)) return false; // a spelled-out word
  if (prev === ',' && s.prev2 !== null && DIGIT.test(s.prev2) && (DIGIT.test(cur) || cur === '-')) return false; // (3,4) (3,-1)
  if (prev === '-' && DIGIT.test(cur) && (s.prev2 === null || !/^[A-Za-z0-9)\]]/.test(s.prev2))) return false; // -1
  if (cur === '>' && (prev === '-' || prev === '=')) return false; // -> =>
  return true;
}

function advance(s: SpacingState, cur: string): void {
  if (QUOTES.has(cur)) {
    if (s.openQuotes.has(cur)) s.openQuotes.delete(cur);
    else s.openQuotes.add(cur);
  }
  s.prev2 = s.prev;
  s.prev = cur;
}

/** Word-level tokenizer with character fallback; see the file header. */
export class Tokenizer {
  readonly vocab: readonly string[];
  private readonly ids: Map<string, number>;
  /** Added tokens (matched first, longest first), then the piece pattern. */
  private readonly scanner: RegExp;

  constructor(vocab: readonly string[]) {
    const ids = new Map<string, number>();
    vocab.forEach((tok, i) => {
      if (ids.has(tok)) throw new Error(`tokenizer: token ${JSON.stringify(tok)} appears twice (ids ${ids.get(tok)} and ${i})`);
      ids.set(tok, i);
    });
    for (const required of [...SPECIAL_TOKENS, ...TAG_TOKENS, NEWLINE]) {
      if (!ids.has(required)) throw new Error(`tokenizer: vocabulary lacks the required token ${JSON.stringify(required)}`);
    }
    this.vocab = [...vocab];
    this.ids = ids;
    this.scanner = new RegExp(`${addedAlternation()}|${PIECE_PATTERN}`, 'gu');
  }

  get vocabSize(): number {
    return this.vocab.length;
  }
  get padId(): number {
    return this.id(PAD);
  }
  get bosId(): number {
    return this.id(BOS);
  }
  get eosId(): number {
    return this.id(EOS);
  }
  get unkId(): number {
    return this.id(UNK);
  }

  /** The id of a token string; throws, naming the token, if it is not in the vocabulary. */
  id(token: string): number {
    const id = this.ids.get(token);
    if (id === undefined) throw new Error(`tokenizer: no token ${JSON.stringify(token)} in the vocabulary`);
    return id;
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocab[id];
  }

  /** Token strings before spacing markers: [token, whether the text had a space before it]. */
  private tokenize(text: string): [string, boolean][] {
    const out: [string, boolean][] = [];
    const norm = normalizeText(text);
    let last = 0;
    for (const m of norm.matchAll(this.scanner)) {
      const space = (m.index as number) > last; // pieces cover every non-space character: a gap is whitespace
      last = (m.index as number) + m[0].length;
      const piece = m[0];
      if (this.ids.has(piece)) {
        out.push([piece, space]);
      } else {
        // Character fallback: a word is spelled letter by letter; a character with no id is [UNK].
        [...piece].forEach((ch, i) => out.push([this.ids.has(ch) ? ch : UNK, space && i === 0]));
      }
    }
    return out;
  }

  encode(text: string, opts: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    if (opts.bos) ids.push(this.bosId);
    const state = freshState();
    for (const [tok, spaced] of this.tokenize(text)) {
      const rule = spaceBefore(state, tok);
      if (spaced && !rule) ids.push(this.id(SP));
      if (!spaced && rule) ids.push(this.id(NOSP));
      ids.push(this.id(tok));
      if (!isSilent(tok)) advance(state, tok);
    }
    if (opts.eos) ids.push(this.eosId);
    return ids;
  }

  /** Token strings of `text` (markers included), for debugging and tests. */
  tokens(text: string): string[] {
    return this.encode(text).map((i) => this.vocab[i] as string);
  }

  decode(ids: ArrayLike<number>, opts: DecodeOptions = {}): string {
    const skip = opts.skipSpecial ?? true;
    const state = freshState();
    let out = '';
    let forced: boolean | null = null;
    for (let i = 0; i < ids.length; i++) {
      const tok = this.vocab[ids[i] as number];
      if (tok === undefined) throw new Error(`tokenizer: id ${ids[i]} outside the vocabulary [0, ${this.vocabSize})`);
      if (tok === SP || tok === NOSP) {
        forced = tok === SP;
        continue;
      }
      if (isSilent(tok)) {
        if (!skip) out += tok;
        continue;
      }
      const space = forced ?? spaceBefore(state, tok);
      forced = null;
      out += (space ? ' ' : '') + (tok === UNK ? '\uFFFD' : tok);
      advance(state, tok);
    }
    return out;
  }

  /** The Hugging Face tokenizers `tokenizer.json` object (see header for what HF reproduces). */
  toJSON(): HfTokenizerJson {
    const added = new Set<string>([...SPECIAL_TOKENS, ...TAG_TOKENS]);
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: this.vocab
        .map((content, id) => ({ content, id }))
        .filter(({ content }) => added.has(content))
        .map(({ content, id }) => ({
          id,
          content,
          single_word: false,
          lstrip: false,
          rstrip: false,
          normalized: false,
          // Tags are ordinary text the reward parsers read; specials are dropped by skip_special_tokens.
          special: !TAG_SET.has(content),
        })),
      normalizer: null,
      pre_tokenizer: { type: 'Split', pattern: { Regex: PIECE_PATTERN }, behavior: 'Removed', invert: true },
      post_processor: null,
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordLevel', vocab: Object.fromEntries(this.vocab.map((t, i) => [t, i])), unk_token: UNK },
    };
  }

  toString(): string {
    return JSON.stringify(this.toJSON(), null, 2);
  }

  /** Reads a tokenizer.json written by `toJSON` (or any WordLevel file with our required tokens). */
  static fromJSON(json: unknown): Tokenizer {
    const where = 'tokenizer.json';
    if (typeof json === 'string') {
      try {
        json = JSON.parse(json);
      } catch (e) {
        throw new Error(`${where} is not valid JSON: ${(e as Error).message}`);
      }
    }
    const model = (json as { model?: { type?: unknown; vocab?: unknown } } | null)?.model;
    if (!model || model.type !== 'WordLevel') {
      throw new Error(`${where}: model.type must be 'WordLevel', got ${JSON.stringify(model?.type)}`);
    }
    const vocabObj = model.vocab;
    if (typeof vocabObj !== 'object' || vocabObj === null) throw new Error(`${where}: model.vocab must be an object`);
    const entries = Object.entries(vocabObj as Record<string, unknown>);
    const vocab: string[] = new Array(entries.length);
    for (const [tok, id] of entries) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= entries.length || vocab[id] !== undefined) {
        throw new Error(`${where}: ids must be 0..${entries.length - 1}, each once; token ${JSON.stringify(tok)} has ${JSON.stringify(id)}`);
      }
      vocab[id] = tok;
    }
    return new Tokenizer(vocab);
  }
}

/**
 * The added tokens matched in raw text, longest first. [SP] and [NOSP] are left out, so that the text
 * "[SP]" is spelled (and round-trips) instead of turning into a marker.
 */
function addedAlternation(): string {
  return [PAD, BOS, EOS, UNK, ...TAG_TOKENS]
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|');
}

/** Tokens that produce no text and do not affect spacing. */
const isSilent = (tok: string): boolean => tok === PAD || tok === BOS || tok === EOS;

export interface HfTokenizerJson {
  version: string;
  truncation: null;
  padding: null;
  added_tokens: {
    id: number;
    content: string;
    single_word: boolean;
    lstrip: boolean;
    rstrip: boolean;
    normalized: boolean;
    special: boolean;
  }[];
  normalizer: null;
  pre_tokenizer: { type: 'Split'; pattern: { Regex: string }; behavior: 'Removed'; invert: boolean };
  post_processor: null;
  decoder: { type: 'WordPiece'; prefix: string; cleanup: boolean };
  model: { type: 'WordLevel'; vocab: Record<string, number>; unk_token: string };
}

export interface BuildVocabularyOptions {
  /** Upper bound on the vocabulary (config.vocabSize). Default 256. */
  maxSize?: number;
  /** Words always included (before corpus words), e.g. the moves and option strings. */
  words?: readonly string[];
  /** Also rank DEFAULT_WORDS as if they occurred once (default true when the corpus is empty). */
  includeDefaults?: boolean;
}

/**
 * A vocabulary from a corpus (the SFT prompts and traces): specials, tags, "\n", the ASCII table, the
 * corpus's other characters, then the words that save the most tokens (count x (length - 1)), up to
 * `maxSize`. Deterministic: ties break alphabetically.
 */
export function buildVocabulary(corpus: readonly string[], extra: BuildVocabularyOptions = {}): Tokenizer {
  const maxSize = extra.maxSize ?? 256;
  const base: string[] = [...SPECIAL_TOKENS, ...TAG_TOKENS, NEWLINE, ...ASCII_CHARS];
  const have = new Set(base);
  const counts = new Map<string, number>();
  const extraChars = new Set<string>();
  const pieceRe = new RegExp(PIECE_PATTERN, 'gu');
  const tagRe = new RegExp(addedAlternation(), 'g');
  for (const text of corpus) {
    for (const m of normalizeText(text).replace(tagRe, ' ').matchAll(pieceRe)) {
      const piece = m[0];
      if (/^[A-Za-z]{2,}$/.test(piece)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
      else if (!have.has(piece) && /^[^\sA-Za-z0-9]$/u.test(piece)) extraChars.add(piece);
    }
  }
  if (extra.includeDefaults ?? corpus.length === 0) {
    for (const w of DEFAULT_WORDS) if (w.length > 1) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const vocab = [...base, ...[...extraChars].sort()];
  for (const w of extra.words ?? []) {
    if (!/^[A-Za-z]+$/.test(w)) throw new Error(`buildVocabulary: extra word ${JSON.stringify(w)} must be ASCII letters only`);
    if (!vocab.includes(w)) vocab.push(w);
  }
  if (vocab.length > maxSize) {
    throw new Error(`buildVocabulary: ${vocab.length} base tokens already exceed maxSize ${maxSize}; raise config.vocabSize`);
  }
  const ranked = [...counts.entries()]
    .filter(([w]) => !vocab.includes(w))
    .map(([w, n]) => [w, n * (w.length - 1)] as const)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [w] of ranked) {
    if (vocab.length >= maxSize) break;
    vocab.push(w);
  }
  return new Tokenizer(vocab);
}

/** The tokenizer of DEFAULT_WORDS (no corpus): for tests and randomly initialised models. */
export function defaultTokenizer(maxSize = 256): Tokenizer {
  return buildVocabulary([], { maxSize, includeDefaults: true });
}
