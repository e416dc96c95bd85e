/**
 * A byte-level BPE tokenizer with no merges, as a Hugging Face `tokenizer.json`: every UTF-8 byte is one
 * token (GPT-2's byte-to-character table), plus the special tokens a chat VLM needs. Any text, including
 * ViGaL's full prompts, tokenizes without an unknown token; a tiny test model needs nothing more.
 */

/** GPT-2's reversible byte -> printable character table (bytes that are printable map to themselves). */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table: string[] = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++);
  }
  return table;
}

export interface ByteTokenizerJson {
  vocab: Record<string, number>;
  /** Special token -> id (after the 256 byte tokens, in the order given). */
  special: Record<string, number>;
  json: unknown;
}

export function byteLevelTokenizer(specialTokens: readonly string[]): ByteTokenizerJson {
  const vocab: Record<string, number> = {};
  bytesToUnicode().forEach((ch, id) => (vocab[ch] = id));
  const special: Record<string, number> = {};
  specialTokens.forEach((t, i) => (special[t] = 256 + i));
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content, i) => ({
      id: 256 + i,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
  return { vocab, special, json };
}
