/**
 * IndexedDB persistence: a watched game and a training run survive a reload with the same numbers; a
 * full store is reported in words while the game goes on; a malformed JSONL import reports its bad
 * lines and imports the rest (verl rollout lines included).
 */
import { expect, test, type Page } from '@playwright/test';
import { snakeLabels, snakePrompt, type SnakeState } from '../src/games/snake';
import { parseJsonl, serializeJsonl } from '../src/records/jsonl';
import { RECORD_VERSION, type EpisodeRecord, type RunRecord } from '../src/records/types';

const RUN: RunRecord = {
  type: 'run',
  version: RECORD_VERSION,
  id: 'run-e2e',
  createdAt: Date.UTC(2026, 0, 3),
  kind: 'grpo',
  game: 'snake',
  init: 'vigal-nano-snake-sft',
  settings: { lr: 1e-5, groupSize: 6 },
  status: 'paused',
  metrics: [
    { step: 1, 'critic/rewards/mean': 0.41, 'actor/entropy': 1.5 },
    { step: 2, 'critic/rewards/mean': 0.52, 'actor/entropy': 1.4 },
  ],
  evals: [],
  checkpoints: [{ step: 2, key: 'run-e2e/2', bytes: 4 }],
};

async function exported(page: Page, button: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

test.describe('Persistence', () => {
  test('a watched game is saved step by step and survives a reload with the same numbers', async ({ page }) => {
    await page.goto('/?mode=watch&player=bot:lookahead&seed=7');
    await expect(page.getByTestId('watch-tally')).toContainText(/^([4-9]|\d{2,}) steps/, { timeout: 30_000 });
    await page.keyboard.press(' '); // pause
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
    await page.waitForTimeout(800); // a step in flight when paused still lands (and is saved)
    const tally = await page.getByTestId('watch-tally').textContent();
    const steps = Number(/^(\d+) steps/.exec(tally ?? '')![1]);

    await page.reload(); // Watch mode starts a new game on load: the old one is in the list beside it
    await page.getByRole('button', { name: 'Explore', exact: true }).click();
    const item = page.getByTestId('episode-list').locator('button.episode-open').filter({ hasNotText: 'live' });
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(`${steps} steps`);
    await expect(item).toContainText('lookahead');
    await item.click();
    await expect(page.getByTestId('timeline-position')).toHaveText(`Step 1 / ${steps}`);
    // Same numbers: the saved rewards give the tally Watch mode showed before the reload.
    const exportedText = await exported(page, 'Export episodes as JSONL');
    const ep = parseJsonl(exportedText).records[0] as EpisodeRecord;
    const acc = ep.steps.filter((s) => s.reward.accuracy > 0).length / ep.steps.length;
    const mean = ep.steps.reduce((a, s) => a + s.reward.overall, 0) / ep.steps.length;
    expect(tally).toBe(`${steps} steps · accuracy ${(acc * 100).toFixed(0)}% · mean reward ${mean.toFixed(2)}`);
    await expect(page.getByTestId('storage-episode')).toContainText('2'); // and the new live one
  });

  test('a training run and its checkpoint survive a reload, same numbers', async ({ page }) => {
    await page.goto('/?mode=explore');
    const lines = serializeJsonl([RUN, { type: 'checkpoint', version: RECORD_VERSION, key: 'run-e2e/2', base64: 'AQIDBA==' }]);
    await page.getByTestId('import-file').setInputFiles({ name: 'run.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines) });
    await expect(page.getByTestId('import-report')).toContainText('1 runs');
    await expect(page.getByTestId('storage-run')).toContainText('1');
    await expect(page.getByTestId('storage-checkpoint')).toContainText('4 B');

    await page.reload();
    await expect(page.getByTestId('storage-run')).toContainText('1');
    await expect(page.getByTestId('storage-checkpoint')).toContainText('1');
    await page.getByLabel('Runs export with their checkpoint bytes').check();
    const back = parseJsonl(await exported(page, 'Export training runs as JSONL'));
    expect(back.errors).toEqual([]);
    expect(back.records).toEqual([RUN]);
    expect([...back.checkpoints[0]!.bytes]).toEqual([1, 2, 3, 4]);

    await page.getByRole('button', { name: 'Delete run run-e2e' }).click();
    await expect(page.getByTestId('storage-run')).toContainText('0');
    await expect(page.getByTestId('storage-checkpoint')).toContainText('0'); // its checkpoint went with it
  });

  test('a full store is reported in words, and the game goes on', async ({ page }) => {
    // A tiny quota: the browser refuses any episode of 3 steps or more, as a full disk would.
    await page.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        const steps = (value as { steps?: unknown[] } | null)?.steps;
        if (Array.isArray(steps) && steps.length >= 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.call(this, value, key);
      };
    });
    await page.goto('/?mode=watch&player=bot:lookahead&seed=2'); // a long game (76 rounds)
    const alert = page.getByTestId('storage-error');
    await expect(alert).toContainText('Storage is full: saving the episode', { timeout: 30_000 });
    await expect(alert).toContainText('(3 steps)');
    await expect(alert).toContainText('export old episodes or runs to JSONL and delete them');
    // Watching goes on; the last good save (2 steps) is what the explorer has.
    await expect(page.getByTestId('watch-tally')).toContainText(/^([5-9]|\d{2,}) steps/, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Dismiss storage message' }).click();
    await page.getByRole('button', { name: 'Explore', exact: true }).click();
    await expect(page.getByTestId('episode-list').locator('button.episode-open')).toHaveCount(1);
    await expect(page.getByTestId('episode-list').locator('button.episode-open')).toContainText('2 steps');
  });

  test('a malformed JSONL: every bad line reported by number, the rest imported (verl rollouts too)', async ({ page }) => {
    const state: SnakeState = {
      width: 10,
      height: 10,
      apples: [[3, 4]],
      snakes: [
        { id: 1, body: [[5, 5]], lastMove: null, alive: true, score: 0 },
        { id: 2, body: [[1, 8]], lastMove: null, alive: true, score: 0 },
      ],
      you: 1,
      round: 0,
    };
    const labels = snakeLabels(state);
    const verl = (step: number) =>
      JSON.stringify({
        input: `user\n${snakePrompt(state)}\nassistant\n`,
        output: `<think>go</think><best_answer>${labels.best[0]}</best_answer><worst_answer>None</worst_answer>`,
        gts: JSON.stringify({ game: 'snake', ...labels, state }),
        score: 1.1,
        step,
      });
    const text = [verl(3), '{"input": "truncated', verl(3), JSON.stringify({ type: 'episode', version: 99, id: 'future' }), verl(4)].join('\n');
    await page.goto('/?mode=explore');
    await page.getByTestId('import-file').setInputFiles({ name: 'rollouts.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
    const report = page.getByTestId('import-report');
    await expect(report).toContainText('rollouts.jsonl: read 5 lines; imported 2 episodes (from 3 verl rollout lines)');
    await expect(report).toContainText('2 lines skipped');
    await expect(page.getByTestId('import-errors').locator('li').nth(0)).toHaveText(/^Line 2: not JSON/);
    await expect(page.getByTestId('import-errors').locator('li').nth(1)).toHaveText(/^Line 4: version 99 was written by a newer app/);
    // The cluster's rollouts open in the explorer like any episode.
    await page.getByTestId('episode-list').locator('button.episode-open').filter({ hasText: '2 steps' }).click();
    await expect(page.getByTestId('explore-title')).toHaveText('Snake · verl rollouts');
    await expect(page.getByTestId('explore-reward')).toHaveText('1.1 = format 0.1 + accuracy 1.0');
    await expect(page.getByTestId('explore-images').locator('canvas')).toHaveCount(1);
  });
});
