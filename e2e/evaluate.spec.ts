/**
 * Evaluate mode in Chromium. The parity test runs the set of src/rl/suite.test.ts (the shipped nano model
 * on WASM and the random bot, 4 held-out Snake states from seed 1000, one game per pairing and seat) and
 * checks that the page shows, and exports, exactly the numbers Node computed (src/rl/suite.golden.json).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { EvaluationRecord } from '../src/records/types';
import type { EvalReport } from '../src/rl/evaluate';
import { DEFAULT_MODEL } from '../src/model/files';
import { pairedComparison } from '../src/rl/paired';
import { suiteNumbers } from '../src/rl/suite';

const GOLDEN = JSON.parse(readFileSync(new URL('../src/rl/suite.golden.json', import.meta.url), 'utf8')) as ReturnType<typeof suiteNumbers>;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function setNumber(page: Page, label: string, value: number) {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(String(value));
  await expect(input).toHaveValue(String(value));
}

test.describe('Evaluate mode', () => {
  test('the suite shows the same numbers in Chromium as in Node (nano on WASM + random bot)', async ({ page }) => {
    test.setTimeout(420_000);
    await page.goto('/?mode=evaluate&game=snake');
    await expect(page.getByTestId('eval-empty')).toBeVisible();
    await page.getByLabel('Model runtime').selectOption('wasm');
    await setNumber(page, 'Held-out states', GOLDEN.n);
    await setNumber(page, 'Seed', GOLDEN.seed);
    await setNumber(page, 'Games per pairing and seat', GOLDEN.matches[0]!.games);
    await page.getByRole('checkbox', { name: `nano model: ${DEFAULT_MODEL}` }).check();
    // Keyboard: the random bot's box is reached and ticked without the mouse.
    const random = page.getByRole('checkbox', { name: 'random bot' });
    await random.focus();
    await page.keyboard.press('Space');
    await expect(random).toBeChecked();
    await page.getByTestId('eval-run').click();
    await expect(page.getByTestId('eval-progress')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('eval-status')).toContainText('question', { timeout: 60_000 });
    await expect(page.getByTestId('eval-status')).toHaveText('Done, saved below.', { timeout: 360_000 });

    for (const r of GOLDEN.reports) {
      const cell = (m: string) => page.getByTestId(`cell-${r.policy}-${m}`);
      await expect(cell('accuracy')).toHaveText(pct(r.accuracy));
      await expect(cell('format')).toHaveText(pct(r.format_rate));
      await expect(cell('reward')).toHaveText(r.mean_reward.toFixed(3));
      await expect(cell('best')).toHaveText(pct(r.best_accuracy!));
      await expect(cell('worst')).toHaveText(pct(r.worst_accuracy!));
    }
    for (const m of GOLDEN.matches) {
      await expect(page.getByTestId(`match-${m.policy}-${m.opponent}`)).toContainText(`${m.wins} / ${m.ties} / ${m.losses}`);
      await expect(page.getByTestId(`match-${m.policy}-${m.opponent}`)).toContainText(m.mean_rounds.toFixed(1));
    }
    for (const e of GOLDEN.elo) await expect(page.getByTestId(`elo-table-${e.policy}`)).toHaveText(e.rating.toFixed(0));
    // State by state: the second policy against the first, as Node pairs them.
    const paired = pairedComparison(GOLDEN.reports[0]! as EvalReport, GOLDEN.reports[1]! as EvalReport)!;
    await expect(page.getByTestId(`paired-${paired.other}`).locator('td')).toHaveText([
      String(paired.fixed),
      String(paired.broken),
      `${paired.fixed - paired.broken >= 0 ? '+' : ''}${paired.fixed - paired.broken}`,
      paired.pValue.toFixed(3),
    ]);
    await expect(page.getByTestId('chart-accuracy').locator('canvas')).toHaveCount(1);

    // The exported line carries every number exactly (and is what `vigal eval --jsonl` writes).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('eval-export').click()]);
    const record = JSON.parse(readFileSync((await download.path())!, 'utf8')) as EvaluationRecord;
    expect(suiteNumbers(record)).toEqual(GOLDEN);
    expect(record.observationMode).toBe('image+text');
  });

  test('the page stays live while the model works in its worker, and Stop ends the run without saving', async ({ page }) => {
    await page.goto('/?mode=evaluate&game=snake');
    await page.getByLabel('Model runtime').selectOption('wasm');
    await setNumber(page, 'Held-out states', 50);
    await page.getByRole('checkbox', { name: `nano model: ${DEFAULT_MODEL}` }).check();
    await page.getByTestId('eval-run').click();
    // Under way: past the first question (progress can skip a number between two looks).
    await expect(page.getByTestId('eval-status')).toHaveText(/question ([2-9]|[1-4]\d) of 50/, { timeout: 90_000 });
    // The main thread answers at once while a question is being generated.
    const ms = await page.evaluate(
      () =>
        new Promise<number>((r) => {
          const t = performance.now();
          requestAnimationFrame(() => r(performance.now() - t));
        }),
    );
    expect(ms).toBeLessThan(500);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByTestId('eval-status')).toHaveText('Stopped; nothing saved.');
    await expect(page.getByTestId('eval-history')).toBeEmpty();
    // No policy had finished, so there is nothing to show but the empty state.
    await expect(page.getByTestId('eval-empty')).toBeVisible();
  });

  test('Rotation: you answer the questions beside a bot, see the confusion matrices, and the run is kept', async ({ page }) => {
    await page.goto('/?mode=evaluate&game=rotation');
    await setNumber(page, 'Held-out states', 2);
    await setNumber(page, 'Seed', 7);
    // Snake-only bots cannot be ticked for Rotation, and say why.
    await expect(page.getByRole('checkbox', { name: 'greedy bot' })).toBeDisabled();
    await page.getByRole('checkbox', { name: 'random bot' }).check();
    await page.getByRole('checkbox', { name: /^You/ }).check();
    await page.getByTestId('eval-run').click();
    for (let i = 0; i < 2; i++) {
      const q = page.getByTestId('eval-question');
      await expect(q).toContainText(`question ${i + 1} of 2`);
      // A running test is not "No evaluation on show".
      await expect(page.getByTestId('eval-empty')).toHaveCount(0);
      await q.getByRole('button', { name: '180' }).click();
    }
    await expect(page.getByTestId('eval-status')).toHaveText('Done, saved below.');
    await expect(page.getByTestId('cell-human-format')).toHaveText('100.0%');
    await expect(page.getByTestId('confusion-human')).toBeVisible();
    await expect(page.getByTestId('confusion-bot:random')).toBeVisible();
    // Both answers were '180': the human's matrix has one column of 2 answers in all.
    const counts = await page.getByTestId('confusion-human').locator('tbody td').allTextContents();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(2);
    // The Snake tab does not show the Rotation results (nor list them), and says where they are.
    await page.getByRole('tab', { name: 'Snake' }).click();
    await expect(page.getByTestId('confusion-human')).toHaveCount(0);
    await expect(page.getByTestId('eval-empty')).toBeVisible();
    await expect(page.getByText('1 saved Rotation evaluation under the Rotation tab.')).toBeVisible();
    await page.getByRole('tab', { name: 'Rotation' }).click();

    await page.reload();
    await expect(page.getByTestId('eval-history').getByRole('button', { name: /rotation · n 2 · seed 7/ })).toBeVisible();
    await page
      .getByTestId('eval-history')
      .getByRole('button', { name: /rotation · n 2 · seed 7/ })
      .click();
    await expect(page.getByTestId('confusion-human')).toBeVisible();
  });
});
