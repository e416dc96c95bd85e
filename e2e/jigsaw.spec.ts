/**
 * Jigsaw through the registry in Chromium: the Play tab's own view (src/games/jigsaw/ui/Play.tsx) on the
 * generic question store, solved with clicks and the keyboard from what a person sees (the tiles' number
 * labels and the verdict), and Evaluate running the game's bots on its held-out set.
 */
import { expect, test, type Page } from '@playwright/test';

/** The tile number shown at each position, read from the tile buttons' labels ("Position 2 (...): tile 3"). */
async function arrangement(page: Page, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let p = 1; p <= n; p++) {
    const label = (await page.getByTestId(`jigsaw-tile-${p}`).getAttribute('aria-label')) ?? '';
    out.push(Number(/: tile (\d+)/.exec(label)?.[1]));
  }
  return out;
}

test.describe('Jigsaw', () => {
  test('Play: a wrong submit shows the answer and reward 0.1; swapping tiles by click and keyboard restores the picture for 1.1', async ({ page }) => {
    await page.goto('/?mode=play&game=jigsaw&seed=4');
    await expect(
      page
        .getByRole('tab', { name: 'Jigsaw' })
        .or(page.getByRole('button', { name: 'Jigsaw' }))
        .first(),
    ).toBeVisible();
    await expect(page.getByTestId('jigsaw-board')).toBeVisible();
    await expect(page.getByRole('grid', { name: /Jigsaw, 2 by 2/ })).toBeVisible();
    expect(await arrangement(page, 4)).toEqual([1, 2, 3, 4]);

    // The shuffled image as shown is never the answer: submitting it is wrong, and the verdict says what was right.
    await page.getByTestId('jigsaw-submit').click();
    await expect(page.getByTestId('jigsaw-result')).toContainText('Wrong: it was [');
    await expect(page.getByTestId('reward')).toHaveText('Reward 0.1 = format 0.1 + accuracy 0.0');
    await expect(page.getByTestId('jigsaw-result')).toContainText('0 / 1 right this session');
    const said = (await page.getByTestId('jigsaw-result').textContent()) ?? '';
    const answer = (/it was \[([\d, ]+)\]/.exec(said)?.[1] ?? '').split(', ').map(Number);
    expect(answer.slice().sort()).toEqual([1, 2, 3, 4]);
    // The restored picture on request: the tiles' labels then read the answer.
    await page.getByTestId('jigsaw-show-solution').click();
    expect(await arrangement(page, 4)).toEqual(answer);

    // The same question again (the link names it), solved by hand.
    await page.reload();
    await expect(page.getByTestId('jigsaw-submit')).toHaveText('Submit [1, 2, 3, 4]');
    let usedKeyboard = false;
    for (let p = 0; p < 4; p++) {
      const now = await arrangement(page, 4);
      if (now[p] === answer[p]) continue;
      const from = now.indexOf(answer[p]!);
      if (!usedKeyboard) {
        // Keyboard: focus the first tile, walk to position p + 1 and pick it, then walk to the other tile and pick it.
        await page.getByTestId('jigsaw-tile-1').focus();
        const walk = async (to: number, at: number) => {
          for (; at % 2 < to % 2; at++) await page.keyboard.press('ArrowRight');
          for (; at % 2 > to % 2; at--) await page.keyboard.press('ArrowLeft');
          for (; at < to; at += 2) await page.keyboard.press('ArrowDown');
          for (; at > to; at -= 2) await page.keyboard.press('ArrowUp');
        };
        await walk(p, 0);
        await page.keyboard.press('Enter');
        await expect(page.getByTestId(`jigsaw-tile-${p + 1}`)).toHaveAttribute('aria-pressed', 'true');
        await walk(from, p);
        await page.keyboard.press('Space');
        usedKeyboard = true;
      } else {
        await page.getByTestId(`jigsaw-tile-${p + 1}`).click();
        await page.getByTestId(`jigsaw-tile-${from + 1}`).click();
      }
      await expect(page.getByTestId(`jigsaw-tile-${p + 1}`)).toHaveAttribute('aria-label', new RegExp(`: tile ${answer[p]}$`));
    }
    expect(usedKeyboard).toBe(true);
    expect(await arrangement(page, 4)).toEqual(answer);
    await page.getByTestId('jigsaw-submit').click();
    await expect(page.getByTestId('jigsaw-result')).toContainText('Correct: the picture is restored.');
    await expect(page.getByTestId('reward')).toHaveText('Reward 1.1 = format 0.1 + accuracy 1.0');
    await expect(page.getByTestId('jigsaw-tile-1')).toHaveAttribute('aria-label', /, in place$/);

    // The grid setting changes the question and the link; Enter asks the next question.
    await page.getByLabel('Grid').selectOption('3');
    await expect(page.getByRole('grid', { name: /Jigsaw, 3 by 3/ })).toBeVisible();
    await expect(page).toHaveURL(/grid=3/);
    await expect(page.getByTestId('jigsaw-tile-9')).toBeVisible();
  });

  test('Evaluate: the solver bot scores 100% on the held-out puzzles (2x2, then the 3x3 set), the random bot near chance', async ({ page }) => {
    await page.goto('/?mode=evaluate&game=jigsaw');
    await expect(page.getByTestId('eval-empty')).toBeVisible();
    const states = page.getByLabel('Held-out states', { exact: true });
    await states.fill('48');
    await expect(states).toHaveValue('48');
    await page.getByRole('checkbox', { name: 'solver bot' }).check();
    await page.getByRole('checkbox', { name: 'random bot' }).check();
    await page.getByTestId('eval-run').click();
    await expect(page.getByTestId('eval-status')).toHaveText('Done, saved below.', { timeout: 90_000 });
    await expect(page.getByTestId('cell-bot:solver-accuracy')).toHaveText('100.0%');
    await expect(page.getByTestId('cell-bot:solver-reward')).toHaveText('1.100');
    await expect(page.getByTestId('cell-bot:solver-tiles')).toHaveText('100.0%');
    const random = Number.parseFloat((await page.getByTestId('cell-bot:random-accuracy').textContent()) ?? 'NaN');
    // A uniform guess among the 24 orders of 4 tiles: right about 1 time in 24 (4%).
    expect(random).toBeLessThan(25);
    await expect(page.getByTestId('cell-bot:random-format')).toHaveText('100.0%');

    // The 3x3 held-out set: picked in the set-up, named in the results' heading, still solved.
    await page.getByLabel('Held-out set').selectOption({ label: '3x3 grid' });
    await states.fill('6');
    await page.getByRole('checkbox', { name: 'random bot' }).uncheck();
    await page.getByTestId('eval-run').click();
    await expect(page.getByTestId('eval-status')).toHaveText('Done, saved below.', { timeout: 90_000 });
    await expect(page.getByRole('heading', { name: 'Jigsaw: 6 held-out states, seed 1000, 3x3 grid' })).toBeVisible();
    await expect(page.getByTestId('cell-bot:solver-accuracy')).toHaveText('100.0%');
  });

  test('Explore: the game tabs follow the episode open there; another tab closes it', async ({ page }) => {
    await page.goto('/?mode=watch&game=jigsaw&player=bot:random&seed=3');
    // Watch plays on its own: let a question or two pass, then pause.
    await expect(page.getByTestId('watch-tally')).toContainText(/^[1-9]\d* steps? /);
    await page.getByRole('button', { name: 'Pause' }).click();
    // From the Snake tab, open the Jigsaw episode just watched: the header names Jigsaw.
    await page.getByRole('tab', { name: 'Snake' }).click();
    await page.getByRole('button', { name: 'Explore', exact: true }).click();
    await page.getByRole('button', { name: /Jigsaw · bot:random/ }).click();
    await expect(page.getByTestId('explore-title')).toHaveText('Jigsaw · bot:random');
    await expect(page.getByRole('tab', { name: 'Jigsaw' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Snake' })).toHaveAttribute('aria-selected', 'false');
    // Another game's tab closes it, back to the list.
    await page.getByRole('tab', { name: 'Rotation' }).click();
    await expect(page.getByTestId('explore-title')).toHaveCount(0);
    await expect(page.getByRole('tab', { name: 'Rotation' })).toHaveAttribute('aria-selected', 'true');
  });
});
