/**
 * The runtime the user picks for model sessions (Watch, Evaluate, the local VLM), as the stores, the URL
 * and the menus hold it. No imports: the page's main bundle reads it without pulling in any ORT code.
 * The detection behind 'auto' is adapter.ts.
 */

/** What the app lets the user choose: WebGPU when it is a real GPU, WASM only, or WebGPU whatever it is. */
export type RuntimeChoice = 'auto' | 'wasm' | 'webgpu';
export const RUNTIME_CHOICES: readonly RuntimeChoice[] = ['auto', 'wasm', 'webgpu'];

/** How the choices read in the app's Runtime menus. */
export const RUNTIME_LABELS: Readonly<Record<RuntimeChoice, string>> = {
  auto: 'WebGPU on a real GPU, else WASM',
  wasm: 'WASM only',
  webgpu: 'WebGPU, even software',
};

/** Reads a runtime choice from a URL parameter or stored text; anything else is 'auto'. */
export function parseRuntimeChoice(raw: string | null | undefined): RuntimeChoice {
  return (RUNTIME_CHOICES as readonly string[]).includes(raw ?? '') ? (raw as RuntimeChoice) : 'auto';
}

/** What the loaders take for a choice: the providers to try in order, and whether a software adapter counts. */
export function runtimeLoadOptions(choice: RuntimeChoice): { executionProviders: ('webgpu' | 'wasm')[]; allowSoftwareAdapter: boolean } {
  if (choice === 'wasm') return { executionProviders: ['wasm'], allowSoftwareAdapter: false };
  return { executionProviders: ['webgpu', 'wasm'], allowSoftwareAdapter: choice === 'webgpu' };
}
