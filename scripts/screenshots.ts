/**
 * `npm run screenshots -- --url http://127.0.0.1:4173 --out /tmp/shots`: every mode (every registered game where the
 * mode has them) at 1440x900 and 390x844 in headless Chromium, as PNG files named MODE-GAME-WIDTH.png,
 * against a running `vite preview` (or dev server). Watch runs the nano model on WASM for a few steps
 * first, so that Explore has an episode to show. Prints each file with its page width, which must not
 * exceed the viewport (a wider page scrolls sideways).
 * Options: --url URL  --out DIR  --widths 1440,390  --steps N (Watch steps to wait for, default 2)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { GAME_IDS, gameOf } from '../src/games/registry';
import { chromiumLaunchOptions } from './chromium';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:4173' },
    out: { type: 'string', default: 'screenshots' },
    widths: { type: 'string', default: '1440,390' },
    steps: { type: 'string', default: '2' },
  },
});
const out = values.out as string;
mkdirSync(out, { recursive: true });
const VIEWPORTS: Record<string, { width: number; height: number }> = { '1440': { width: 1440, height: 900 }, '390': { width: 390, height: 844 } };

const browser = await chromium.launch(chromiumLaunchOptions({ webgpu: false }));

async function shot(page: Page, name: string, width: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0)); // the top of the page, as a visitor first sees it
  await page.waitForTimeout(400); // let charts and the Konva canvas paint before the capture
  const file = join(out, `${name}-${width}.png`);
  await page.screenshot({ path: file });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  console.log(`${file}\tpage width ${scrollWidth}${scrollWidth > Number(width) ? '  (scrolls sideways)' : ''}`);
}

try {
  for (const width of (values.widths as string).split(',')) {
    const context = await browser.newContext({ viewport: VIEWPORTS[width] ?? { width: Number(width), height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && process.stderr.write(`[console error] ${m.text()}\n`));
    const base = values.url as string;
    for (const game of GAME_IDS) {
      await page.goto(`${base}/?mode=watch&game=${game}&runtime=wasm&seed=3`);
      await page.getByTestId('step-reward').filter({ hasText: 'format' }).waitFor({ timeout: 180_000 });
      await page.waitForFunction(
        (n) => (/^(\d+) steps?/.exec(document.querySelector('[data-testid=watch-tally]')?.textContent ?? '')?.[1] as unknown as number) >= n,
        Number(values.steps),
        { timeout: 300_000 },
      );
      // Pause, and capture once the step under way has landed (a finished step on show, not "thinking").
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 120_000 });
      await page.getByTestId('step-state').filter({ hasNotText: 'thinking' }).waitFor({ timeout: 120_000 });
      // The one-time hint is shown once per browser: the first capture has it, the later ones not.
      await shot(page, `watch-${game}`, width);
      const hint = page.getByRole('button', { name: 'Dismiss the hint' });
      if (await hint.isVisible()) await hint.click();
      await page.goto(`${base}/?mode=play&game=${game}&seed=3`);
      await shot(page, `play-${game}`, width);
      await page.goto(`${base}/?mode=evaluate&game=${game}`);
      await shot(page, `evaluate-${game}`, width);
    }
    for (const game of GAME_IDS) {
      await page.goto(`${base}/?mode=explore`);
      await page
        .locator('.episode-open', { hasText: gameOf(game).title })
        .first()
        .click();
      await shot(page, `explore-${game}`, width);
    }
    await page.goto(`${base}/?mode=train`);
    await shot(page, 'train', width);
    await context.close();
  }
} finally {
  await browser.close();
}
