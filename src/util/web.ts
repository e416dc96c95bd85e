/**
 * The browser globals that code below the workers looks for at run time. That code runs unchanged in
 * Node and in browsers and is type-checked without the DOM library (tsconfig.core.json), so it reads
 * these through one structural type: every member optional (absent in Node, some absent in workers),
 * and only the members it uses.
 */
export interface WebGlobals {
  /** A page's document (absent in workers). */
  document?: unknown;
  /** A worker's (or page's) global scope; dedicated workers have importScripts. */
  self?: { importScripts?: unknown };
  location?: { origin: string };
  navigator?: { hardwareConcurrency?: number; gpu?: unknown };
  isSecureContext?: boolean;
  crossOriginIsolated?: boolean;
  MessageChannel?: new () => {
    port1: { onmessage: ((event: unknown) => void) | null };
    port2: { postMessage(message: unknown): void };
  };
}

// The cast goes through unknown because the two configurations disagree on globalThis: with the DOM
// library these members exist with richer types, without it (and with Node's types) they do not.
export const webGlobals = globalThis as unknown as WebGlobals;
