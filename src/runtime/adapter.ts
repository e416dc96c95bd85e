/**
 * The one place that asks the browser about WebGPU: whether an adapter exists, what it is, and whether it
 * is a software (CPU) emulation such as SwiftShader or llvmpipe. On a software adapter the nano model
 * decodes a few tokens a second where WASM does hundreds, so every session the app creates (Watch,
 * Evaluate, Train's rollouts, the local VLM) skips it unless the user forces WebGPU.
 */
import { isNode } from './ort';
import { webGlobals } from '../util/web';

/** The fields of GPUAdapterInfo (and the adapter) that say what it is. */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface AdapterDescription {
  /** e.g. 'google swiftshader' or 'nvidia ampere'. */
  name: string;
  /** A CPU emulation (the browser's fallback adapter, SwiftShader, llvmpipe...). */
  software: boolean;
}

/**
 * Names an adapter and says whether it is software. Chromium reports SwiftShader as vendor 'google',
 * architecture 'swiftshader'; `isFallbackAdapter` is the standard flag (on the adapter in older
 * browsers, on its info in newer ones).
 */
export function describeAdapterInfo(info: AdapterInfoLike, adapterIsFallback = false): AdapterDescription {
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || info.description || info.device || 'unknown adapter';
  const text = `${name} ${info.description ?? ''} ${info.device ?? ''}`;
  const software = adapterIsFallback || info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|software|basic render/i.test(text);
  return { name, software };
}

export type WebGpuProbe = { available: false; reason: string } | { available: true; adapter: AdapterDescription };

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null>;
}

let probed: Promise<WebGpuProbe> | null = null;

/** Asks the browser once per worker/page for its high-performance adapter (the answer does not change). */
export function probeWebGpu(): Promise<WebGpuProbe> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<WebGpuProbe> {
  if (isNode()) return { available: false, reason: 'running in Node, where onnxruntime-web has only its WASM build' };
  const gpu = webGlobals.navigator?.gpu as GpuLike | undefined;
  if (!gpu) {
    return {
      available: false,
      reason:
        webGlobals.isSecureContext === false
          ? 'navigator.gpu is missing: the page is not a secure context (https or localhost)'
          : 'navigator.gpu is missing: this browser has no WebGPU (or it is disabled)',
    };
  }
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { available: false, reason: 'navigator.gpu.requestAdapter() returned null: no usable GPU adapter' };
    return { available: true, adapter: describeAdapterInfo(adapter.info ?? {}, adapter.isFallbackAdapter === true) };
  } catch (e) {
    return { available: false, reason: `navigator.gpu.requestAdapter() failed: ${(e as Error).message}` };
  }
}

/** Why WebGPU cannot be used here at all, or null when an adapter exists (software or not). */
export async function webgpuUnavailableReason(): Promise<string | null> {
  const p = await probeWebGpu();
  return p.available ? null : p.reason;
}

/** The reason shown when a software adapter is skipped; it names the control that overrides it. */
export function softwareAdapterReason(adapter: AdapterDescription): string {
  return `the WebGPU adapter is a software emulation (${adapter.name}), far slower than WASM here; choose Runtime "WebGPU, even software" to use it anyway`;
}

/**
 * Why a session should not run on WebGPU, or null when it should: no adapter, or (unless
 * `allowSoftwareAdapter`) a software one.
 */
export async function webgpuSkipReason(allowSoftwareAdapter: boolean): Promise<string | null> {
  const p = await probeWebGpu();
  if (!p.available) return p.reason;
  if (p.adapter.software && !allowSoftwareAdapter) return softwareAdapterReason(p.adapter);
  return null;
}
