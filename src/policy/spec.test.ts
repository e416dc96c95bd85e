import { describe, expect, it } from 'vitest';
import { formatPolicySpec, parsePolicySpec, policyKind, policyName, PolicySpecError, tryParsePolicySpec } from './spec';

describe('policy specs', () => {
  it('parses every form the CLI, the URL, Evaluate and saved episodes use', () => {
    expect(parsePolicySpec('nano')).toEqual({ kind: 'nano', model: null });
    expect(parsePolicySpec(' nano:vigal-nano-snake-rl ')).toEqual({ kind: 'nano', model: 'vigal-nano-snake-rl' });
    expect(parsePolicySpec('nano:out/run 1/step-40')).toEqual({ kind: 'nano', model: 'out/run 1/step-40' });
    expect(parsePolicySpec('bot:greedy')).toEqual({ kind: 'bot', bot: 'greedy' });
    expect(parsePolicySpec('openai')).toEqual({ kind: 'openai', model: null, baseURL: null });
    expect(parsePolicySpec('openai:ViGaL-7B@http://127.0.0.1:8000/v1')).toEqual({ kind: 'openai', model: 'ViGaL-7B', baseURL: 'http://127.0.0.1:8000/v1' });
    // Model names may hold ':' and '/' (the split is at the last '@').
    expect(parsePolicySpec('openai:Qwen/Qwen2.5-VL-7B:int4@http://h:1/v1')).toEqual({ kind: 'openai', model: 'Qwen/Qwen2.5-VL-7B:int4', baseURL: 'http://h:1/v1' });
    expect(parsePolicySpec('openai:gpt-4o')).toEqual({ kind: 'openai', model: 'gpt-4o', baseURL: null });
    expect(parsePolicySpec('local')).toEqual({ kind: 'local', path: null, dtype: null });
    expect(parsePolicySpec('local:models/SmolVLM-256M-Instruct@q4')).toEqual({ kind: 'local', path: 'models/SmolVLM-256M-Instruct', dtype: 'q4' });
    expect(parsePolicySpec('local:x@decoder_model_merged=q4,vision_encoder=fp32')).toEqual({ kind: 'local', path: 'x', dtype: 'decoder_model_merged=q4,vision_encoder=fp32' });
    // An '@' in a path is part of it.
    expect(parsePolicySpec('local:out/run@2/model')).toEqual({ kind: 'local', path: 'out/run@2/model', dtype: null });
    expect(parsePolicySpec('local-picked')).toEqual({ kind: 'local-picked' });
    expect(parsePolicySpec('human')).toEqual({ kind: 'human' });
  });

  it('takes a bare bot name only where asked (the CLI)', () => {
    expect(parsePolicySpec('lookahead', { bareBotNames: true })).toEqual({ kind: 'bot', bot: 'lookahead' });
    expect(() => parsePolicySpec('lookahead')).toThrow(PolicySpecError);
  });

  it('says what is wrong, in one line naming the forms', () => {
    expect(() => parsePolicySpec('bot:smart')).toThrow(/unknown bot 'smart'.*valid: .*greedy/);
    expect(() => parsePolicySpec('nano:')).toThrow(/names no model/);
    expect(() => parsePolicySpec('openai:@http://h/v1')).toThrow(/names no model.*openai:MODEL@BASE_URL/);
    expect(() => parsePolicySpec('local:')).toThrow(/names no folder/);
    expect(() => parsePolicySpec('gpt4')).toThrow(/unknown policy 'gpt4'; use nano, nano:NAME/);
    expect(() => parsePolicySpec('human:me')).toThrow(/unknown policy/);
    expect(tryParsePolicySpec('nonsense')).toBeNull();
  });

  it('formats what it parses back to the same string', () => {
    for (const s of ['nano', 'nano:m', 'bot:random', 'openai', 'openai:m@http://h/v1', 'openai:m', 'local', 'local:p@q4', 'local:p', 'local-picked', 'human']) {
      expect(formatPolicySpec(parsePolicySpec(s))).toBe(s);
    }
  });

  it('names and kinds for labels', () => {
    expect(policyKind('nano:x')).toBe('nano');
    expect(policyKind('what')).toBeNull();
    expect(policyName('nano:vigal-nano-snake-sft')).toBe('vigal-nano-snake-sft');
    expect(policyName('bot:greedy')).toBe('greedy');
    expect(policyName('openai:ViGaL-7B@http://h/v1')).toBe('ViGaL-7B');
    expect(policyName('something else')).toBe('something else');
  });
});
