import { describe, expect, it } from 'vitest';
import { isVlmEntry, localSource, pickedFolder, PICKED_CHOICE } from './localVlm';

const file = (path: string) => ({ webkitRelativePath: path, name: path.split('/').at(-1) ?? path, blob: new Blob([path]) });

describe('local VLM store helpers', () => {
  it('tells transformers.js folders (onnx/*.onnx) from nano folders', () => {
    expect(isVlmEntry({ files: ['config.json', 'onnx/decoder_model_merged_q4.onnx'] })).toBe(true);
    expect(isVlmEntry({ files: ['config.json', 'model.onnx', 'model_q4.onnx'] })).toBe(false);
    expect(isVlmEntry({})).toBe(false);
  });

  it('keys picked files by their path inside the picked folder', () => {
    const p = pickedFolder([file('SmolVLM/config.json'), file('SmolVLM/onnx/embed_tokens.onnx')]);
    expect(p.name).toBe('SmolVLM');
    expect(p.files.map(([k]) => k)).toEqual(['config.json', 'onnx/embed_tokens.onnx']);
  });

  it('finds the model one level down when its parent folder was picked', () => {
    const p = pickedFolder([file('models/tiny/config.json'), file('models/tiny/onnx/a.onnx'), file('models/README.md')]);
    expect(p).toMatchObject({ name: 'tiny' });
    expect(p.files.map(([k]) => k)).toEqual(['config.json', 'onnx/a.onnx']);
  });

  it('refuses an empty pick and a picked choice with nothing picked', () => {
    expect(() => pickedFolder([])).toThrow(/no files were picked/);
    expect(() => localSource(PICKED_CHOICE, '/models/', null)).toThrow(/no folder picked yet/);
  });

  it('serves a local:NAME choice from /models/NAME/', () => {
    expect(localSource('local:SmolVLM 256M', '/models/', null)).toEqual({ kind: 'url', base: '/models/SmolVLM%20256M/' });
  });
});
