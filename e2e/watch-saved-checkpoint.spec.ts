/**
 * A Watch link to a checkpoint saved in this browser (`player=nano:<name>-step2`, what Train's "Watch it"
 * puts in the URL) plays that checkpoint, and still does after a reload: the name is resolved from
 * IndexedDB before /models/, which never had such a folder.
 *
 * The checkpoint gets into IndexedDB the way a user can put one there without training (training takes
 * minutes; e2e/train.spec.ts covers it): importing a run with its checkpoint bytes as JSONL in Explore's
 * storage panel. Its weights are the shipped -sft model's model.safetensors.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { serializeJsonl } from '../src/records/jsonl';
import { RECORD_VERSION, type RunRecord } from '../src/records/types';

const INIT = 'vigal-nano-snake-sft';
const NAME = 'vigal-nano-snake-rl-step2'; // checkpointName(INIT, 2)
const weights = readFileSync(fileURLToPath(new URL(`../models/${INIT}/model.safetensors`, import.meta.url)));
const RUN: RunRecord = {
  type: 'run',
  version: RECORD_VERSION,
  id: 'run-watch-link',
  createdAt: Date.UTC(2026, 0, 4),
  kind: 'rloo',
  game: 'snake',
  init: INIT,
  settings: { source: 'app', lr: 1e-5, groupSize: 2 },
  status: 'stopped',
  metrics: [
    { step: 1, 'critic/rewards/mean': 0.4 },
    { step: 2, 'critic/rewards/mean': 0.5 },
  ],
  evals: [],
  checkpoints: [{ step: 2, key: 'run-watch-link/step-2', bytes: weights.byteLength }],
};

/** Requests for the checkpoint's name under /models/: the folder that does not exist. */
function watchModelRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes(`/models/${NAME}`)) urls.push(r.url());
  });
  return urls;
}

test('a Watch link to a checkpoint saved in the browser plays it, before and after a reload', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?mode=explore');
  const lines = serializeJsonl([RUN, { type: 'checkpoint', version: RECORD_VERSION, key: RUN.checkpoints[0]!.key, base64: weights.toString('base64') }]);
  await page.getByTestId('import-file').setInputFiles({ name: 'run.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines) });
  await expect(page.getByTestId('import-report')).toContainText('1 runs');
  await expect(page.getByTestId('storage-checkpoint')).toContainText('1');

  const requested = watchModelRequests(page);
  const link = `/?mode=watch&game=snake&seed=3&opponent=greedy&player=nano:${NAME}&runtime=wasm`;
  await page.goto(link);
  await expect(page.getByTestId('backend')).toContainText(NAME, { timeout: 120_000 });
  await expect(page.getByTestId('step-reward')).toContainText('format', { timeout: 240_000 });

  await page.reload();
  await expect(page.getByTestId('backend')).toContainText(NAME, { timeout: 120_000 });
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  await expect(page.getByTestId('step-reward')).toContainText('format', { timeout: 240_000 });
  expect(requested).toEqual([]);
  expect(errors).toEqual([]);
});
