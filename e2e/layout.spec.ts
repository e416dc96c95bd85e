/**
 * The page as a first visit meets it, on a phone (390 x 844) and on a laptop (1440 x 900): every mode of
 * both games fits the width (no sideways scrolling), nothing logs a console error, the Watch hint goes
 * away for good once dismissed, and the keyboard help opens with `?`, keeps the focus, and closes with
 * Escape without triggering the mode's own Escape.
 */
import { expect, test, type Page } from '@playwright/test';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1440, height: 900 },
];

/** Console errors and uncaught exceptions of the page, collected as they happen. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

async function expectNoSideScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${where}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(innerWidth);
}

for (const vp of VIEWPORTS) {
  test.describe(`layout at ${vp.width} x ${vp.height} (${vp.name})`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test('every mode of both games fits the width, with no console error', async ({ page }) => {
      test.setTimeout(240_000);
      const errors = collectErrors(page);
      await page.goto('/?mode=watch&runtime=wasm&seed=3');
      // The five modes are on screen, not off to the side.
      for (const name of ['Watch the model', 'Play yourself', 'Evaluate', 'Explore', 'Train']) {
        await expect(page.getByRole('button', { name, exact: true })).toBeInViewport();
      }
      await expect(page.getByTestId('step-reward')).toContainText('format', { timeout: 90_000 });
      await expectNoSideScroll(page, 'Watch Snake');
      await page.getByRole('button', { name: 'Pause' }).click();

      await page.getByRole('tab', { name: 'Rotation' }).click();
      // The Snake-only model gives way to the one bot that answers Rotation, and it plays at once.
      await expect(page.getByRole('combobox', { name: 'Player' })).toHaveValue('bot:random');
      await expect(page.getByTestId('step-reward')).toContainText('format', { timeout: 30_000 });
      await expectNoSideScroll(page, 'Watch Rotation');
      await page.getByRole('button', { name: 'Pause' }).click();

      await page.getByRole('button', { name: 'Play yourself', exact: true }).click();
      await expect(page.getByRole('img', { name: 'Rotation image 1' })).toBeVisible();
      await expectNoSideScroll(page, 'Play Rotation');
      await page.getByRole('tab', { name: 'Snake' }).click();
      await expect(page.getByTestId('snake-board')).toBeVisible();
      await expectNoSideScroll(page, 'Play Snake');

      await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
      await page.getByRole('checkbox', { name: 'greedy bot' }).check();
      await page.getByRole('checkbox', { name: 'lookahead bot' }).check();
      await page.getByLabel('Games per pairing and seat').fill('1');
      await page.getByTestId('eval-run').click();
      await expect(page.getByTestId('elo-table')).toBeVisible({ timeout: 60_000 });
      await expectNoSideScroll(page, 'Evaluate Snake');
      await page.getByRole('tab', { name: 'Rotation' }).click();
      await expect(page.getByTestId('eval-empty')).toBeVisible();
      await expectNoSideScroll(page, 'Evaluate Rotation');

      await page.getByRole('button', { name: 'Explore', exact: true }).click();
      for (const game of ['Snake', 'Rotation']) {
        await page.locator('.episode-open', { hasText: game }).first().click();
        await expect(page.getByTestId('explore-title')).toContainText(game);
        await expectNoSideScroll(page, `Explore ${game}`);
      }

      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(page.getByTestId('chart-kl')).toBeVisible();
      await expectNoSideScroll(page, 'Train');
      // The curves are drawn at their size, not squeezed (the panel once collapsed to 25 px on a phone).
      const box = await page.getByRole('region', { name: 'Curves' }).boundingBox();
      expect(box!.height).toBeGreaterThan(300);

      expect(errors).toEqual([]);
    });
  });
}

test.describe('first visit', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the Watch hint is dismissed for good, and the help opens and closes by keyboard', async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto('/?mode=watch&player=bot:greedy');
    await expect(page.getByTestId('mode-intro')).toContainText('Watch a model play');
    const hint = page.getByTestId('watch-hint');
    await expect(hint).toContainText('pixels');
    await hint.getByRole('button', { name: 'Dismiss the hint' }).focus();
    await page.keyboard.press('Enter');
    await expect(hint).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Player' })).toBeVisible();
    await expect(page.getByTestId('watch-hint')).toHaveCount(0);

    // `?` opens the help: a labelled dialog that holds the focus and lists the mode's keys first.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await expect(help.locator('section').first()).toContainText('Watch the model');
    await expect(help).toContainText('Play one step');
    // Every game's Play keys are listed, from the game registry (Jigsaw's tile keys among them).
    await expect(help).toContainText('Snake: steer the red snake');
    await expect(help).toContainText('Jigsaw: pick a tile; pick another to swap them');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await help.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();

    // In Train, keys pressed in the help stay there: Space closes it (its Close button has the focus) and does not start a run.
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByTestId('mode-intro')).toContainText('Train the nano model');
    await page.getByRole('button', { name: 'Keyboard shortcuts and help' }).click();
    await expect(help).toBeVisible();
    await expect(help.locator('section').first()).toContainText('Train');
    await page.keyboard.press(' ');
    await expect(help).toBeHidden();
    await expect(page.getByTestId('train-status')).toHaveText('Not started');
    expect(errors).toEqual([]);
  });

  test('a finished game says who won and why, and its link replays it step by step in Explore', async ({ page }) => {
    await page.goto('/?mode=watch&player=bot:lookahead&seed=2&opponent=greedy');
    const pause = page.locator('input[type=range]');
    await pause.focus();
    await page.keyboard.press('Home'); // no pause between steps: the game runs to its end at once
    const result = page.getByTestId('watch-result');
    await expect(result).toContainText(/wins|Tie/, { timeout: 90_000 });
    await expect(result).toContainText(/crashed|round limit/);
    await expect(result).not.toContainText(/all-dead|max-rounds|\(death\)/);
    const rounds = Number(/round (\d+)/.exec((await result.textContent()) ?? '')?.[1]);
    await result.getByRole('link', { name: /Replay it/ }).click();
    await expect(page.getByRole('button', { name: 'Explore', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('explore-title')).toContainText('Snake · bot:lookahead vs greedy');
    await expect(page.getByTestId('timeline-position')).toHaveText(`Step 1 / ${rounds}`);
  });

  test('on Rotation, Watch offers only what can play it and says why the rest is missing', async ({ page }) => {
    await page.goto('/?mode=watch&game=rotation');
    const player = page.getByRole('combobox', { name: 'Player' });
    await expect(player).toHaveValue('bot:random');
    const offered = await player.locator('option:not([disabled])').allTextContents();
    expect(offered.some((o) => o.startsWith('nano model'))).toBe(false);
    expect(offered).not.toContain('greedy bot');
    const missing = await player.locator('optgroup option').allTextContents();
    expect(missing).toContain('nano model: vigal-nano-snake-rl: trained for Snake only');
    expect(missing).toContain('lookahead bot: plays Snake only');
    // Back on Snake the nano models are offered again, under their full names.
    await page.getByRole('tab', { name: 'Snake' }).click();
    await expect(player.locator('option', { hasText: 'nano model: vigal-nano-snake-sft' })).toBeEnabled();
  });
});
