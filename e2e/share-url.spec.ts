import { expect, test } from '@playwright/test';

test('a shared URL restores the same Snake position', async ({ page, browser }) => {
  await page.goto('/?mode=play&game=snake&seed=8&bot=lookahead');
  await page.getByLabel('Turn-based').check();
  for (const key of ['ArrowUp', 'ArrowUp', 'ArrowLeft', 'ArrowDown']) await page.keyboard.press(key);
  const round = await page.getByTestId('round').textContent();
  const board = await page.getByTestId('snake-board').locator('canvas').screenshot();
  const shared = page.url();
  expect(shared).toContain('moves=');

  const other = await browser.newPage();
  await other.goto(shared);
  await expect(other.getByTestId('round')).toHaveText(round ?? '');
  const restored = await other.getByTestId('snake-board').locator('canvas').screenshot();
  expect(Buffer.compare(board, restored)).toBe(0);
  await other.close();
});

test('a shared URL restores the Rotation question and its settings', async ({ page }) => {
  await page.goto('/?mode=play&game=rotation&seed=4&classes=three');
  await page.getByRole('button', { name: 'Next question' }).click();
  expect(page.url()).toContain('seed=5');
  const image = await page.getByTestId('rotation-image-4').locator('canvas').screenshot();
  await page.goto(page.url());
  await expect(page.getByRole('group', { name: 'Your answer' }).getByRole('button')).toHaveCount(4);
  expect(Buffer.compare(image, await page.getByTestId('rotation-image-4').locator('canvas').screenshot())).toBe(0);
});
