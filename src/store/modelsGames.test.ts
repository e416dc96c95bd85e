/**
 * What can play which game: the models store reads each served model's config.json (`games`), and Watch's
 * Player menu and Evaluate's policy list offer only what can play the game on show, saying why the rest
 * is missing. Served from the real models/ folder by a local HTTP server, as the app's server serves it.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels } from '../../vite.models';
import { createEvaluateStore } from './evaluate';
import { branchChoiceFor, createModelsStore, playerOptions, unplayableReason } from './models';

const ROOT = resolve(import.meta.dirname, '../../models');
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '').replace(/^\/models\//, ''));
    if (rel === 'index.json') return res.end(JSON.stringify(listModels(ROOT)));
    if (!rel.endsWith('/config.json') || rel.includes('..')) return res.writeHead(404).end();
    try {
      res.end(readFileSync(join(ROOT, rel)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/models/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('which policies can play which game', () => {
  it('reads the games from each model config; the Snake models and Snake bots are not offered for Rotation, with the reason', async () => {
    const models = createModelsStore(base, { storage: null });
    await models.getState().refresh();
    const s = models.getState();
    expect(s.available).toContain('vigal-nano-snake-rl');
    expect(s.modelGames['vigal-nano-snake-rl']).toEqual(['snake']);

    const snake = playerOptions(s, 'snake');
    expect(snake.playable.map((o) => o.value)).toEqual(
      expect.arrayContaining(['nano:vigal-nano-snake-rl', 'nano:vigal-nano-snake-sft', 'bot:greedy', 'bot:lookahead', 'bot:random']),
    );
    // Every Snake model plays Snake; only bots of other games (a question game's solver) are listed as unable to.
    expect(snake.missing.filter((m) => !m.label.endsWith(' bot'))).toEqual([]);

    const rotation = playerOptions(s, 'rotation');
    const values = rotation.playable.map((o) => o.value);
    expect(values).toContain('bot:random');
    expect(values).not.toContain('nano:vigal-nano-snake-rl');
    expect(values).not.toContain('bot:greedy');
    expect(values).not.toContain('bot:lookahead');
    expect(rotation.missing).toContainEqual({ label: 'nano model: vigal-nano-snake-rl', reason: 'trained for Snake only' });
    expect(rotation.missing).toContainEqual({ label: 'greedy bot', reason: 'plays Snake only' });
    // A server or a local VLM may play either game: offered for both.
    expect(values).toContain('openai');
    expect(unplayableReason('openai', 'rotation', s)).toBeNull();
  });

  it('a saved checkpoint takes its games from its own config, and is named as a checkpoint', async () => {
    const models = createModelsStore(base, { storage: null });
    // Only the memory bookkeeping is under test: the worker load that follows fails in Node, which is fine here.
    await models
      .getState()
      .playModelBytes('my-run-step3', {
        config: JSON.stringify({ games: ['rotation'] }),
        tokenizer: '{}',
        model: new Uint8Array(1),
        modelName: 'my-run-step3/model.onnx',
      })
      .catch(() => undefined);
    const s = models.getState();
    expect(unplayableReason('nano:my-run-step3', 'snake', s)).toBe('trained for Rotation only');
    expect(playerOptions(s, 'rotation').playable).toContainEqual({ value: 'nano:my-run-step3', label: 'saved checkpoint: my-run-step3' });
  });

  it('Evaluate disables what cannot play the game and unticks it when the game changes', async () => {
    const models = createModelsStore(base, { storage: null });
    await models.getState().refresh();
    const evaluate = createEvaluateStore({ models, base, archive: null });
    evaluate.getState().toggle('nano:vigal-nano-snake-rl', true);
    evaluate.getState().toggle('bot:random', true);
    evaluate.getState().configure({ game: 'rotation' });
    expect(evaluate.getState().selected).toEqual(['bot:random']);
    const nano = evaluate
      .getState()
      .options()
      .find((o) => o.spec === 'nano:vigal-nano-snake-rl');
    expect(nano?.unavailable).toBe('trained for Snake only');
  });

  it("a branch goes on with the episode's own player, else the first that can play the game", async () => {
    const models = createModelsStore(base, { storage: null });
    await models.getState().refresh();
    const s = models.getState();
    expect(branchChoiceFor('nano:vigal-nano-snake-sft', 'snake', s)).toBe('nano:vigal-nano-snake-sft');
    expect(branchChoiceFor('bot:greedy', 'snake', s)).toBe('bot:greedy');
    expect(branchChoiceFor('nano:gone-model', 'snake', s)).toMatch(/^nano:vigal-nano-snake-/);
    expect(branchChoiceFor('bot:random', 'rotation', s)).toBe('bot:random');
    expect(branchChoiceFor('openai:ViGaL-7B@http://gpu:8000/v1', 'rotation', s)).toBe('bot:random');
  });
});
