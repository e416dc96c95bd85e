/**
 * How every headless run here starts Chromium: Debian's system browser (Playwright never downloads one of
 * its own) with the same quiet flags, shared by playwright.config.ts and the benchmark and screenshot
 * scripts so that a measurement and a test see the same browser.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/** The Chromium binary: $CHROMIUM_PATH, else Debian's package. Throws, saying how to install it, if absent. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`No Chromium at ${path}. Install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`);
  return path;
}

/**
 * Launch options. `webgpu` adds `--enable-unsafe-webgpu`, which exposes the software adapter
 * (SwiftShader) headless Chromium has here; without it the app runs on WASM, as it would pick anyway on
 * a software adapter. No background networking: nothing may reach the internet.
 */
export function chromiumLaunchOptions(opts: { webgpu: boolean }): LaunchOptions {
  return {
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      ...(opts.webgpu ? ['--enable-unsafe-webgpu'] : []),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  };
}
