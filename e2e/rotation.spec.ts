import { expect, test } from '@playwright/test';

test.describe('Rotation play', () => {
  test('answering shows the verdict and the reward parts', async ({ page }) => {
    await page.goto('/?mode=play&game=rotation&seed=4');
    for (const n of [1, 2, 3, 4]) await expect(page.getByTestId(`rotation-image-${n}`)).toBeVisible();
    await page.getByRole('button', { name: 'Show ground truth' }).click();
    const truth = ((await page.getByTestId('rotation-truth').locator('strong').textContent()) ?? '').trim();
    expect(['counter clockwise 90', '180']).toContain(truth);

    await page.getByRole('group', { name: 'Your answer' }).getByRole('button', { name: truth, exact: false }).first().click();
    await expect(page.getByTestId('rotation-result')).toContainText('Correct');
    await expect(page.getByTestId('reward')).toHaveText('Reward 1.1 = format 0.1 + accuracy 1.0');

    // The next question; answering it wrongly by keyboard still earns the format part.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rotation-result')).toContainText('Pick an answer');
    const next = ((await page.getByTestId('rotation-truth').locator('strong').textContent()) ?? '').trim();
    await page.keyboard.press(next === '180' ? '1' : '2');
    await expect(page.getByTestId('rotation-result')).toContainText('Wrong');
    await expect(page.getByTestId('reward')).toHaveText('Reward 0.1 = format 0.1 + accuracy 0.0');
  });

  test('without the example pair only the test pair is shown', async ({ page }) => {
    await page.goto('/?mode=play&game=rotation&seed=4&example=0&classes=three');
    await expect(page.getByTestId('rotation-image-1')).toBeVisible();
    await expect(page.getByTestId('rotation-image-2')).toBeVisible();
    await expect(page.getByTestId('rotation-image-3')).toHaveCount(0);
    await expect(page.getByRole('group', { name: 'Your answer' }).getByRole('button')).toHaveCount(4);
  });
});
