import { expect, test } from '@playwright/test';

test.describe('Snake play', () => {
  test('arrow keys start the game and the round advances in real time', async ({ page }) => {
    await page.goto('/?mode=play&game=snake&seed=3&bot=greedy');
    await expect(page.getByTestId('round')).toHaveText(/Round 0 \//);
    await expect(page.getByTestId('banner')).toContainText('Press an arrow key');
    await page.keyboard.press('ArrowUp');
    await expect(page.getByTestId('round')).not.toHaveText(/Round 0 \//, { timeout: 10_000 });
    await page.keyboard.press(' ');
    await expect(page.getByTestId('banner')).toContainText(/Paused|wins|Tie/);
  });

  test('turn-based play: every key is one round; the URL records the moves', async ({ page }) => {
    await page.goto('/?mode=play&game=snake&seed=11&bot=none');
    await page.getByLabel('Turn-based').check();
    // Steer toward apples using the ground-truth best move shown in the panel, so the score changes.
    await page.getByRole('button', { name: 'Show ground truth' }).click();
    for (let i = 0; i < 12; i++) {
      const best = (await page.getByTestId('label-best').textContent()) ?? '';
      const move = best.split(',')[0]!.trim();
      if (!['UP', 'DOWN', 'LEFT', 'RIGHT'].includes(move)) break;
      const key = { UP: 'ArrowUp', DOWN: 'ArrowDown', LEFT: 'ArrowLeft', RIGHT: 'ArrowRight' }[move]!;
      await page.keyboard.press(key);
      await expect(page.getByTestId('round')).toHaveText(new RegExp(`Round ${i + 1} /`));
    }
    await expect(page.getByTestId('score-you')).not.toHaveText('You (red) 0');
    expect(new URL(page.url()).searchParams.get('moves')).toMatch(/^[UDLR]{12}$/);
  });

  test('the prompt panel shows the exact prompt and the labels on request', async ({ page }) => {
    await page.goto('/?mode=play&game=snake&seed=5&bot=lookahead');
    const prompt = page.getByTestId('prompt-text');
    await expect(prompt).toContainText('<best_answer>');
    await expect(prompt).toContainText('<worst_answer>');
    await page.getByRole('radio', { name: 'Compact (nano)' }).click();
    await expect(prompt).toContainText('<think>');
    await expect(page.getByTestId('ground-truth')).toHaveCount(0);
    await page.getByRole('button', { name: 'Show ground truth' }).click();
    await expect(page.getByTestId('label-worst')).toBeVisible();
  });
});
