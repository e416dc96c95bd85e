import { describe, expect, it } from 'vitest';
import { describeAdapterInfo, softwareAdapterReason, webgpuSkipReason } from './adapter';
import { parseRuntimeChoice, runtimeLoadOptions } from './choice';

describe('describeAdapterInfo', () => {
  it("marks Chromium's SwiftShader adapter as software, as headless Chromium reports it", () => {
    expect(describeAdapterInfo({ vendor: 'google', architecture: 'swiftshader', device: '', description: '' })).toEqual({
      name: 'google swiftshader',
      software: true,
    });
  });
  it('marks the standard fallback flag, on the adapter or on its info, as software', () => {
    expect(describeAdapterInfo({ vendor: 'acme', architecture: 'x' }, true).software).toBe(true);
    expect(describeAdapterInfo({ vendor: 'acme', architecture: 'x', isFallbackAdapter: true }).software).toBe(true);
    expect(describeAdapterInfo({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).software).toBe(true);
  });
  it('leaves a real GPU as hardware, named by vendor and architecture', () => {
    expect(describeAdapterInfo({ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false })).toEqual({ name: 'nvidia ampere', software: false });
    expect(describeAdapterInfo({ vendor: 'apple', architecture: 'metal-3' }).software).toBe(false);
    expect(describeAdapterInfo({}).name).toBe('unknown adapter');
  });
  it('says why a software adapter is skipped and which choice overrides it', () => {
    expect(softwareAdapterReason({ name: 'google swiftshader', software: true })).toMatch(/software emulation \(google swiftshader\).*WebGPU, even software/);
  });
});

describe('runtime choices', () => {
  it('reads the URL form, anything unknown being auto', () => {
    expect(parseRuntimeChoice('wasm')).toBe('wasm');
    expect(parseRuntimeChoice('webgpu')).toBe('webgpu');
    expect(parseRuntimeChoice('auto')).toBe('auto');
    expect(parseRuntimeChoice('cuda')).toBe('auto');
    expect(parseRuntimeChoice(null)).toBe('auto');
  });
  it('auto skips a software adapter, webgpu forces it, wasm never tries WebGPU', () => {
    expect(runtimeLoadOptions('auto')).toEqual({ executionProviders: ['webgpu', 'wasm'], allowSoftwareAdapter: false });
    expect(runtimeLoadOptions('webgpu')).toEqual({ executionProviders: ['webgpu', 'wasm'], allowSoftwareAdapter: true });
    expect(runtimeLoadOptions('wasm')).toEqual({ executionProviders: ['wasm'], allowSoftwareAdapter: false });
  });
});

describe('webgpuSkipReason', () => {
  it('in Node there is no WebGPU, forced or not', async () => {
    expect(await webgpuSkipReason(false)).toMatch(/running in Node/);
    expect(await webgpuSkipReason(true)).toMatch(/running in Node/);
  });
});
