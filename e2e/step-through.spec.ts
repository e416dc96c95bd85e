/**
 * The episode explorer: a known episode (played here in Node by the same code the app runs) is imported
 * as JSONL, then stepped through; every step must show exactly that step's image pixels, prompt, trace
 * and reward. Branching takes over at a step with a hand move and a bot plays on from the right board.
 */
import { expect, test, type Page } from '@playwright/test';
import { SnakeEnv, snakeLabels, type Move } from '../src/games/snake';
import { BotPolicy } from '../src/policy/bots';
import { serializeJsonl } from '../src/records/jsonl';
import type { EpisodeRecord } from '../src/records/types';
import { stepImages, watchEpisodeRecord } from '../src/store/episodes';
import { createWatchStore } from '../src/store/watch';

async function knownEpisode(): Promise<EpisodeRecord> {
  const watch = createWatchStore({ game: 'snake', seed: 5, opponent: 'random', delayMs: 0 });
  watch.getState().setPolicy(new BotPolicy('greedy', 1));
  for (let i = 0; i < 8 && watch.getState().status !== 'done'; i++) await watch.getState().step();
  return watchEpisodeRecord(watch.getState(), { id: 'e2e-walk', createdAt: Date.UTC(2026, 0, 2) });
}

/** FNV-1a over RGBA bytes: the canvas pixels must equal the re-rendered raster's. */
function fnv(data: ArrayLike<number>): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 0x01000193) >>> 0;
  return h;
}

async function canvasHash(page: Page): Promise<number> {
  return page
    .getByTestId('explore-images')
    .locator('canvas')
    .first()
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let h = 0x811c9dc5;
      for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i]!, 0x01000193) >>> 0;
      return h;
    });
}

async function importEpisode(page: Page, record: EpisodeRecord) {
  await page.goto('/?mode=explore');
  await expect(page.getByTestId('explore-empty')).toHaveText('No saved episodes yet — watch a game or import a JSONL.');
  await page.getByTestId('import-file').setInputFiles({ name: 'walk.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(serializeJsonl([record])) });
  await expect(page.getByTestId('import-report')).toContainText('imported 1 episodes');
  await page.locator(`[data-episode-id="${record.id}"]`).click();
}

test.describe('Step-through', () => {
  test('timeline navigation shows the right step: image pixels, prompt, trace, reward; keys, jump box and URL', async ({ page }) => {
    const ep = await knownEpisode();
    const n = ep.steps.length;
    expect(n).toBeGreaterThanOrEqual(6);
    await importEpisode(page, ep);
    const pos = page.getByTestId('timeline-position');
    await expect(pos).toHaveText(`Step 1 / ${n}`);

    const check = async (k: number) => {
      const s = ep.steps[k]!;
      await expect(pos).toHaveText(`Step ${k + 1} / ${n}`);
      await expect(page.getByTestId('explore-prompt')).toHaveText(s.prompt);
      await expect(page.getByTestId('trace')).toHaveText(s.text);
      await expect(page.getByTestId('explore-reward')).toHaveText(
        `${s.reward.overall.toFixed(1)} = format ${s.reward.format.toFixed(1)} + accuracy ${s.reward.accuracy.toFixed(1)}`,
      );
      await expect(page.getByTestId('explore-played')).toContainText(s.applied!);
      await expect.poll(() => canvasHash(page)).toBe(fnv(stepImages(ep, s)[0]!.data));
    };

    await check(0);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await check(3);
    await page.keyboard.press('ArrowLeft');
    await check(2);
    await page.keyboard.press('End');
    await check(n - 1);
    await page.keyboard.press('Home');
    await check(0);
    await page.getByRole('spinbutton', { name: 'Go to step' }).fill('5');
    await page.getByRole('spinbutton', { name: 'Go to step' }).press('Enter');
    await check(4);
    await page.getByRole('button', { name: 'Next step' }).click();
    await check(5);
    await expect(page).toHaveURL(/mode=explore&episode=e2e-walk&step=6/);

    // The URL reopens the same step after a reload (the episode is in IndexedDB now).
    await page.reload();
    await check(5);
  });

  test('branching continues from the right state: hand move at step k, then a bot plays on', async ({ page }) => {
    const ep = await knownEpisode();
    const k = 3;
    const at = ep.steps[k]!.position;
    if (at.game !== 'snake') throw new Error('snake expected');
    const worst = snakeLabels(at.state, 1).worst;
    const hand =
      (['UP', 'DOWN', 'LEFT', 'RIGHT'] as Move[]).find((m) => !worst.includes(m) && m !== ep.steps[k]!.applied) ??
      (['UP', 'DOWN', 'LEFT', 'RIGHT'] as Move[]).find((m) => !worst.includes(m))!;
    const after = SnakeEnv.fromState({ ...at.state, you: 1 }).step({ 1: hand, 2: ep.steps[k]!.opponentMove! });
    test.skip(after.terminated, 'the hand move ends the game at this seed');
    const head = after.state.snakes[0]!.body[0]!;

    await importEpisode(page, ep);
    await page.getByRole('spinbutton', { name: 'Go to step' }).fill(String(k + 1));
    await page.getByRole('spinbutton', { name: 'Go to step' }).press('Enter');
    await expect(page.getByTestId('timeline-position')).toHaveText(`Step ${k + 1} / ${ep.steps.length}`);
    await page.getByTestId('explore-board').click(); // leave the jump box, so the key reaches the view
    await page.keyboard.press('b');
    await page.getByRole('button', { name: `Move ${hand}` }).click();

    // The branch: the history up to k, then the hand's step.
    await expect(page.getByTestId('timeline-position')).toHaveText(`Step ${k + 1} / ${k + 1}`);
    await expect(page.getByTestId('explore-step-label')).toContainText('chosen by hand');
    await expect(page.getByTestId('explore-played')).toContainText(`${hand} · opponent ${ep.steps[k]!.opponentMove}`);
    // The branch goes on with the episode's own player (the greedy bot here), not some other default.
    await expect(page.getByTestId('branch-status')).toContainText('greedy bot ready', { timeout: 20_000 });
    await expect(page.getByRole('combobox', { name: 'Branch player' })).toHaveValue('bot:greedy');
    await page.getByRole('button', { name: 'Step branch' }).click();
    await expect(page.getByTestId('timeline-position')).toHaveText(`Step ${k + 2} / ${k + 2}`);
    // The bot's first step is played from the board the hand move left.
    await expect(page.getByTestId('explore-prompt')).toContainText(`You are snake 1, the red snake. Head: (${head[0]}, ${head[1]}).`);
    await expect(page.getByTestId('explore-step-label')).not.toContainText('by hand');
    // Earlier steps are the original ones.
    await page.keyboard.press('Home');
    await expect(page.getByTestId('explore-prompt')).toHaveText(ep.steps[0]!.prompt);

    // The branch is saved as its own episode, naming its parent.
    const branchItem = page.getByTestId('episode-list').locator('li').filter({ hasText: 'branch' });
    await expect(branchItem).toHaveCount(1);
    await expect(branchItem).toContainText(`${k + 2} steps`);
  });

  test('observation mode: text-only watching shows no image; the episode says so', async ({ page }) => {
    await page.goto('/?mode=watch&player=bot:greedy&seed=4');
    await expect(page.getByTestId('backend')).toContainText('bot');
    await page.getByRole('combobox', { name: 'Observation' }).selectOption('text'); // a new game, paused
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(page.getByTestId('watch-tally')).toContainText(/^[2-9]\d* steps|^\d{2,} steps/, { timeout: 30_000 });
    await expect(page.getByRole('img', { name: 'Player input image 1' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Explore', exact: true }).click();
    await page.getByTestId('episode-list').locator('button.episode-open').first().click();
    await expect(page.getByTestId('explore-images')).toHaveText('No image: this episode was played text only.');
  });
});
