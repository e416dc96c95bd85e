import { describe, expect, it } from 'vitest';
import { ASCII_CHARS, DEFAULT_WORDS, NOSP, SP, SPECIAL_TOKENS, TAG_TOKENS, Tokenizer, buildVocabulary, defaultTokenizer, normalizeText } from './tokenizer';
import { sampleSnakeStates, snakeLabels, snakePrompt, scoreSnake } from '../games/snake';
import { rotationPrompt, scoreRotation } from '../games/rotation';

/** Traces in the style the solver writes (tags verbatim, coordinates as digit sequences). */
const SNAKE_TRACES = [
  '<think>Head (3,4). UP (3,5) free, dist 2. DOWN (3,3) body: worst. LEFT (2,4) free, dist 4. RIGHT (4,4) free, dist 2. Best UP.</think><best_answer>UP</best_answer><worst_answer>DOWN</worst_answer>',
  '<think> head at (0,9). UP -> (0,10) off board. LEFT -> (-1,9) off board. DOWN (0,8) enemy. RIGHT (1,9) safe, nearest apple (5,9) dist 4. </think>\n<best_answer> RIGHT </best_answer> <worst_answer> UP, DOWN, LEFT </worst_answer>',
  '<think>All moves die.</think><best_answer></best_answer><worst_answer>UP, DOWN, LEFT, RIGHT</worst_answer>',
  '<think>No worst move; apple at (7,1) is 3 away.</think><best_answer>RIGHT</best_answer><worst_answer>None</worst_answer>',
];
const ROTATION_TRACES = [
  '<think>The red cube is at (2, 1) in image 3 and at (-2, -1) in image 4: a half turn.</think><answer>180</answer>',
  '<think>Feature point (1,2) maps to (-2,1): counter clockwise quarter turn.</think><answer>counter clockwise 90</answer>',
];

function realPrompts(): string[] {
  const states = sampleSnakeStates(7, 6);
  return [
    ...states.map((s) => snakePrompt(s, { variant: 'compact' })),
    ...states.slice(0, 2).map((s) => snakePrompt(s, { variant: 'full' })),
    rotationPrompt({}, { variant: 'compact' }),
    rotationPrompt({}, { variant: 'full' }),
  ];
}

describe('tokenizer', () => {
  const tok = defaultTokenizer();

  it('has the fixed layout: specials first, tags, newline, ASCII table, words; <= 256 ids', () => {
    expect(tok.vocab.slice(0, SPECIAL_TOKENS.length)).toEqual([...SPECIAL_TOKENS]);
    expect(tok.padId).toBe(0);
    expect(tok.bosId).toBe(1);
    expect(tok.eosId).toBe(2);
    expect(tok.unkId).toBe(3);
    for (const t of TAG_TOKENS) expect(tok.tokenToId(t)).toBeDefined();
    for (const c of ASCII_CHARS) expect(tok.tokenToId(c)).toBeDefined();
    for (const w of ['UP', 'DOWN', 'LEFT', 'RIGHT', 'None']) expect(tok.tokenToId(w)).toBeDefined();
    expect(tok.vocabSize).toBeLessThanOrEqual(256);
  });

  it.each([
    // [text, expected token strings]: the spacing rule needs no markers for canonical spacing
    ['head (3,4) dist 2.', ['head', '(', '3', ',', '4', ')', 'dist', '2', '.']],
    ['<think>UP</think>', ['<think>', 'UP', '</think>']],
    ['(10,-1)', ['(', '1', '0', ',', '-', '1', ')']],
    ["['UP', 'DOWN']", ['[', "'", 'UP', "'", ',', "'", 'DOWN', "'", ']']],
    // spacing the rule does not predict costs one marker each
    ['(3, 4)', ['(', '3', ',', SP, '4', ')']],
    ['a b', ['a', SP, 'b']],
    ['UP,DOWN', ['UP', ',', NOSP, 'DOWN']],
    // unknown word: spelled out, glued by the rule
    ['Zebra', ['Z', 'e', 'b', 'r', 'a']],
    ['the Zebra', ['the', 'Z', 'e', 'b', 'r', 'a']],
  ])('tokens of %j', (text, expected) => {
    expect(tok.tokens(text)).toEqual(expected);
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('round-trips real prompts and traces exactly (after whitespace normalisation)', () => {
    for (const text of [...realPrompts(), ...SNAKE_TRACES, ...ROTATION_TRACES]) {
      expect(tok.decode(tok.encode(text))).toBe(normalizeText(text));
    }
  });

  it('round-trips odd text: tabs, CRLF, unicode, literal markers, leading spaces', () => {
    const cases = ['  lead\ttab\r\nnext  ', 'x\u00b0 \u2192 y', 'literal [SP] and [NOSP]', 'snake\'s "quoted" (a)', ''];
    for (const text of cases) {
      const ids = tok.encode(text);
      const expected = normalizeText(text).replace(/[\u00b0\u2192]/g, '\uFFFD'); // no ids for these: [UNK]
      expect(tok.decode(ids)).toBe(expected);
    }
  });

  it('decoded responses score exactly as the original under both reward parsers', () => {
    const states = sampleSnakeStates(3, 4);
    for (const s of states) {
      const truth = snakeLabels(s);
      for (const trace of SNAKE_TRACES) {
        const back = tok.decode(tok.encode(trace));
        expect(scoreSnake(back, truth)).toEqual(scoreSnake(trace, truth));
      }
    }
    for (const trace of ROTATION_TRACES) {
      for (const label of ['180', 'counter clockwise 90']) {
        expect(scoreRotation(tok.decode(tok.encode(trace)), label)).toEqual(scoreRotation(trace, label));
      }
    }
  });

  it('bos/eos options and skipSpecial', () => {
    const ids = tok.encode('UP', { bos: true, eos: true });
    expect(ids).toEqual([tok.bosId, tok.id('UP'), tok.eosId]);
    expect(tok.decode(ids)).toBe('UP');
    expect(tok.decode(ids, { skipSpecial: false })).toBe('[BOS]UP[EOS]');
  });

  it('streams: decoding a prefix of the ids gives a prefix of the text', () => {
    const ids = tok.encode(SNAKE_TRACES[1] as string);
    let prev = '';
    for (let n = 1; n <= ids.length; n++) {
      const text = tok.decode(ids.slice(0, n));
      expect(text.startsWith(prev)).toBe(true);
      prev = text;
    }
  });

  it('writes a Hugging Face tokenizer.json (WordLevel, Split pre-tokenizer, added tokens) and reads it back', () => {
    const json = tok.toJSON();
    expect(json.model.type).toBe('WordLevel');
    expect(json.model.unk_token).toBe('[UNK]');
    expect(Object.keys(json.model.vocab)).toHaveLength(tok.vocabSize);
    expect(json.pre_tokenizer).toMatchObject({ type: 'Split', behavior: 'Removed', invert: true });
    expect(json.added_tokens.map((t) => t.content)).toEqual([...SPECIAL_TOKENS, ...TAG_TOKENS]);
    expect(json.added_tokens.find((t) => t.content === '<think>')?.special).toBe(false);
    expect(json.added_tokens.find((t) => t.content === '[EOS]')?.special).toBe(true);
    const back = Tokenizer.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.vocab).toEqual(tok.vocab);
    expect(Tokenizer.fromJSON(tok.toString()).encode(SNAKE_TRACES[0] as string)).toEqual(tok.encode(SNAKE_TRACES[0] as string));
  });

  it('rejects broken tokenizer files with the reason', () => {
    expect(() => Tokenizer.fromJSON('{')).toThrow(/not valid JSON/);
    expect(() => Tokenizer.fromJSON({ model: { type: 'BPE' } })).toThrow(/WordLevel/);
    expect(() => Tokenizer.fromJSON({ model: { type: 'WordLevel', vocab: { a: 0, b: 0 } } })).toThrow(/each once/);
    expect(() => Tokenizer.fromJSON({ model: { type: 'WordLevel', vocab: { a: 0 } } })).toThrow(/lacks the required token/);
  });
});

describe('buildVocabulary', () => {
  it('ranks corpus words by tokens saved, adds corpus-only characters, stays within maxSize', () => {
    const corpus = [...realPrompts(), ...SNAKE_TRACES, 'x\u00b0'];
    const tok = buildVocabulary(corpus, { maxSize: 200, words: ['UP', 'DOWN', 'LEFT', 'RIGHT', 'None'] });
    expect(tok.vocabSize).toBeLessThanOrEqual(200);
    expect(tok.tokenToId('\u00b0')).toBeDefined();
    expect(tok.tokenToId('Apples')).toBeDefined(); // in every compact prompt
    expect(tok.decode(tok.encode('x\u00b0'))).toBe('x\u00b0');
    // Deterministic: same corpus, same ids.
    expect(buildVocabulary(corpus, { maxSize: 200 }).vocab).toEqual(buildVocabulary(corpus, { maxSize: 200 }).vocab);
  });

  it('compresses: the compact prompt plus a trace fits the default config with its 100 patches', () => {
    const tok = defaultTokenizer();
    const state = sampleSnakeStates(11, 1)[0];
    if (!state) throw new Error('sampler returned no state');
    const n = tok.encode(snakePrompt(state, { variant: 'compact' }) + '\n' + SNAKE_TRACES[1], { bos: true, eos: true }).length;
    // 384 positions - 100 patches = 284 text positions.
    expect(n).toBeLessThan(284);
  });

  it('refuses a maxSize below the fixed tokens', () => {
    expect(() => buildVocabulary([], { maxSize: 50 })).toThrow(/raise config.vocabSize/);
  });

  it('default words are letters only', () => {
    for (const w of DEFAULT_WORDS) expect(w).toMatch(/^[A-Za-z]+$/);
  });
});
