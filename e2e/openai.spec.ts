/**
 * Watch mode through the "OpenAI-compatible server" player: against a real `vigal serve` (started here,
 * on a free 127.0.0.1 port, serving a tiny random model written for the test) and against a fault
 * server that fails in the ways real servers do. A failed step must say what went wrong, leave the game
 * as it was, and be retryable.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { startFaultServer, type FaultServer } from '../src/server/faultServer';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'sk-e2e-do-not-show-0042';
/** The app's origin (playwright.config.ts serves it there); vigal serve must allow it. */
const APP_ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;
let dir = '';
let serve: ChildProcess | null = null;
let serveURL = '';
let fault: FaultServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigal-e2e-openai-'));
  execFileSync(process.execPath, ['--import', 'tsx', 'src/server/testkit.ts', join(dir, 'tiny')], { cwd: ROOT });
  serve = spawn(process.execPath, ['bin/vigal.js', 'serve', '--model', `nano:${join(dir, 'tiny')}`, '--port', '0', '--allow-origin', APP_ORIGIN], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  serveURL = await new Promise<string>((resolve, reject) => {
    createInterface({ input: serve!.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    serve!.once('exit', (code) => reject(new Error(`vigal serve exited with ${code}`)));
  });
  fault = await startFaultServer();
});

test.afterAll(async () => {
  serve?.kill('SIGTERM');
  await fault?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens Watch mode (a bot first, so no model loads), then switches the player to the server. */
async function playThrough(page: Page, baseURL: string, model: string, apiKey = ''): Promise<void> {
  await page.goto('/?mode=watch&game=snake&seed=3&player=bot:greedy');
  await page.getByRole('combobox', { name: 'Player' }).selectOption('openai');
  const form = page.getByRole('form', { name: 'OpenAI-compatible server' });
  await form.getByLabel('Base URL').fill(baseURL);
  await form.getByLabel('Model name').fill(model);
  if (apiKey) await form.getByLabel('API key').fill(apiKey);
  await form.getByRole('button', { name: 'Use this server' }).click();
}

/** The game did not move: round 0, no step recorded, Step available. */
async function expectUntouched(page: Page): Promise<void> {
  await expect(page.getByTestId('watch-round')).toHaveText('Round 0');
  await expect(page.getByTestId('watch-tally')).toContainText('0 steps');
  await expect(page.getByRole('button', { name: 'Step' })).toBeEnabled();
}

test.describe('Watch mode through an OpenAI-compatible server', () => {
  test('plays Snake against vigal serve: connection test, streamed trace, rewards, full ViGaL prompt', async ({ page }) => {
    await page.goto('/?mode=watch&game=snake&seed=3&player=bot:greedy');
    await page.getByRole('combobox', { name: 'Player' }).selectOption('openai');
    const form = page.getByRole('form', { name: 'OpenAI-compatible server' });
    await form.getByLabel('Base URL').fill(serveURL);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByTestId('endpoint-check')).toHaveText(/Connected: 1 model \(nano-tiny\)/);
    await form.getByLabel('Model name').fill('nano-tiny');
    await form.getByRole('button', { name: 'Use this server' }).click();

    await expect(page.getByTestId('backend')).toHaveText(`nano-tiny · ${new URL(serveURL).host} · OpenAI API`);
    await expect(page.getByTestId('trace')).not.toContainText('Press Play', { timeout: 30_000 });
    await expect(page.getByTestId('step-reward')).toHaveText(/^\d\.\d = format 0\.\d \+ accuracy \d\.\d$/, { timeout: 60_000 });
    await expect(page.getByTestId('step-speed')).toContainText('tokens/s');
    await expect(page.getByTestId('watch-round')).not.toHaveText('Round 0', { timeout: 60_000 });
    // A real VLM gets ViGaL's interface: the full prompt and the 320 px board.
    await expect(page.getByTestId('watch-prompt')).toContainText('You control a snake in a game of Snake');
    await expect(page.getByRole('img', { name: 'Player input image 1' })).toHaveAttribute('width', '320');
    await page.keyboard.press(' ');
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible({ timeout: 30_000 });
    expect(page.url()).toContain('player=openai');
  });

  test('the trace streams token by token before the step is scored', async ({ page }) => {
    await playThrough(page, fault.baseURL('slow', 'stream'), 'canned');
    await expect(page.getByTestId('trace')).toContainText('<think>My head', { timeout: 10_000 });
    await expect(page.getByTestId('step-reward')).toHaveText('–'); // still streaming
    await expect(page.getByTestId('step-reward')).toContainText('format 0.1', { timeout: 20_000 });
  });

  const FAULTS: { mode: string; message: RegExp; retryable: boolean }[] = [
    { mode: '401-once', message: /HTTP 401: the server did not accept the API key given\. Check the API key\. Server says: Incorrect API key provided: \*\*\*/, retryable: true },
    { mode: '429', message: /rate limited \(HTTP 429\).*wait and try again.*gave up after 4 attempts/, retryable: false },
    { mode: 'garbage-once', message: /malformed stream from .*: event 2 is not JSON/, retryable: true },
    { mode: 'drop-once', message: /dropped in the middle of the stream after \d+ pieces of text.*try the step again/, retryable: true },
  ];
  for (const f of FAULTS) {
    test(`a server error (${f.mode}) is explained, the game is untouched, and Step retries`, async ({ page }) => {
      await playThrough(page, fault.baseURL(f.mode, 'ui'), 'canned', KEY);
      const error = page.getByTestId('watch-error');
      await expect(error).toHaveText(f.message, { timeout: 30_000 });
      await expectUntouched(page);
      // The key appears nowhere: not in the message, the page or the URL.
      expect(await page.content()).not.toContain(KEY);
      expect(page.url()).not.toContain(KEY);
      await page.getByRole('button', { name: 'Step' }).click();
      if (f.retryable) {
        await expect(page.getByTestId('step-reward')).toContainText('format 0.1', { timeout: 20_000 });
        await expect(page.getByTestId('watch-round')).toHaveText('Round 1');
        await expect(error).toHaveCount(0);
      } else {
        await expect(error).toHaveText(f.message, { timeout: 30_000 });
        await expectUntouched(page);
      }
    });
  }

  test('a server picked while the model list is still loading is kept: its error is shown, not replaced by the URL\'s bot', async ({ page }) => {
    // The list answers only after the server is in use (on a slow machine it can): the page must not then
    // switch to the URL's player (the greedy bot), which would hide the server's error and play on.
    let release = (): void => {};
    const listed = new Promise<void>((r) => (release = r));
    await page.route('**/models/index.json', async (route) => {
      await listed;
      await route.continue();
    });
    await playThrough(page, fault.baseURL('drop-once', 'late-list'), 'canned', KEY);
    const error = page.getByTestId('watch-error');
    await expect(error).toHaveText(/dropped in the middle of the stream/, { timeout: 30_000 });
    // The list, then each listed model's config (which games it plays): after those the page decides.
    const configs = ['vigal-nano-snake-rl', 'vigal-nano-snake-sft'].map((m) => page.waitForResponse(`**/models/${m}/config.json`));
    release();
    await Promise.all(configs);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    await expect(page.getByRole('combobox', { name: 'Player' })).toHaveValue('openai');
    await expect(error).toBeVisible();
    await expectUntouched(page);
  });

  test('a server that refuses the page origin (CORS) gets the flag that fixes it', async ({ page }) => {
    await playThrough(page, fault.baseURL('nocors', 'ui'), 'canned');
    await expect(page.getByTestId('watch-error')).toHaveText(new RegExp(`CORS.*vLLM: --allowed-origins '\\["${APP_ORIGIN}"\\]'.*vigal serve: --allow-origin ${APP_ORIGIN}`), { timeout: 30_000 });
    await expectUntouched(page);
  });
});
