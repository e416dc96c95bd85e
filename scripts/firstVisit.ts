/**
 * The bytes a first visit transfers before the model plays: a fresh browser context (empty cache) opens
 * the app's front page, and every response is counted (Playwright's network events, body bytes as sent
 * on the wire plus headers) until the first Watch step's reward is on screen. Used by bench:infer.
 */
import type { Browser, Request } from '@playwright/test';

export interface FirstVisit {
  /** Milliseconds from navigation to the first step's reward on screen. */
  msToFirstStep: number;
  /** What the page's header says runs the model. */
  header: string;
  requests: number;
  totalBytes: number;
  /** Bytes per kind: ORT's .wasm, model files, JavaScript, everything else. */
  byKind: Record<'wasm' | 'model' | 'js' | 'other', number>;
  /** The five largest responses. */
  largest: { url: string; bytes: number }[];
}

const kindOf = (url: string): keyof FirstVisit['byKind'] => {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.startsWith('/models/')) return 'model';
  if (/\.(m?js)$/.test(path)) return 'js';
  return 'other';
};

export async function measureFirstVisit(browser: Browser, base: string, timeoutMs = 600_000): Promise<FirstVisit> {
  const context = await browser.newContext();
  try {
    const seen: Promise<{ url: string; bytes: number }>[] = [];
    // The context sees the page's requests and its workers' (the model worker fetches ORT and the model).
    context.on('requestfinished', (req: Request) => {
      seen.push(req.sizes().then((s) => ({ url: req.url(), bytes: s.responseBodySize + s.responseHeadersSize })));
    });
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${base}/`);
    await page.getByTestId('step-reward').filter({ hasText: 'format' }).waitFor({ timeout: timeoutMs });
    const msToFirstStep = Date.now() - t0;
    const header = (await page.getByTestId('backend').textContent()) ?? '';
    const responses = await Promise.all(seen);
    const byKind = { wasm: 0, model: 0, js: 0, other: 0 };
    for (const r of responses) byKind[kindOf(r.url)] += r.bytes;
    return {
      msToFirstStep,
      header,
      requests: responses.length,
      totalBytes: responses.reduce((a, r) => a + r.bytes, 0),
      byKind,
      largest: [...responses]
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 5)
        .map((r) => ({ url: new URL(r.url).pathname, bytes: r.bytes })),
    };
  } finally {
    await context.close();
  }
}
