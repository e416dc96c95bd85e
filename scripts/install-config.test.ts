/**
 * `npm ci` stays quiet and runs no dependency's install script (onnxruntime-node's would download CUDA
 * libraries from outside the npm registry). Checked with the real npm reading the real .npmrc.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

/** npm as a user runs it in the project: without the npm_* variables a parent `npm test` passes down. */
function npm(args: string[]): { out: string; err: string; code: number } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync('npm', args, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { out: r.stdout.trim(), err: r.stderr, code: r.status ?? -1 };
}

describe('install configuration', () => {
  it('npm reads .npmrc without warnings and runs no install scripts', () => {
    const r = npm(['config', 'get', 'ignore-scripts']);
    expect(r.code).toBe(0);
    // npm 11 warns about keys it does not know (they stop working in its next major version).
    expect(r.err).not.toMatch(/warn/i);
    expect(r.out).toBe('true');
  });

  it('every dependency with an install script has a recorded decision, and onnxruntime-node is denied', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts).toContain('onnxruntime-node');
    for (const name of withScripts) expect(pkg.allowScripts ?? {}, name).toHaveProperty([name]);
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
  });
});
