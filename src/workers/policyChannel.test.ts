/**
 * The worker protocol end to end without a browser: the page side (PolicyChannel) and the worker side
 * (actServer with the real nano model on ORT) talk over a real MessageChannel, as a Worker and its global
 * scope do. Streaming, results, cancelling, load errors and a crash are checked.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../model/files';
import { NanoPolicy, nanoObservation } from '../policy/nano';
import type { Observation } from '../policy/types';
import { heldOutPositions } from '../rl/evaluate';
import { loadNanoModel } from '../runtime/model';
import { actServer, PolicyChannel, type FromPolicyWorker, type ToPolicyWorker } from './policyChannel';

const folder = fileURLToPath(new URL(`../../models/${DEFAULT_MODEL}/`, import.meta.url));

type LoadMsg = { type: 'load'; fail?: string };

/** A Worker as the page sees it, backed by one end of a MessageChannel; `crash()` fires onerror. */
class PortWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  constructor(private readonly port: MessagePort) {
    port.onmessage = (e) => this.onmessage?.(e);
  }
  postMessage(msg: unknown): void {
    this.port.postMessage(msg);
  }
  terminate(): void {
    this.terminated = true;
    this.port.close();
  }
  crash(message: string): void {
    this.onerror?.({ message } as ErrorEvent);
  }
}

const opened: { policy: NanoPolicy | null; ports: MessagePort[] }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    o.policy?.dispose();
    for (const p of o.ports) p.close();
  }
});

/** The worker's side: loads the nano model on 'load' (or reports `fail`), serves acts. */
function startWorker(serverOpts: { flushMs?: number } = {}): PortWorker {
  const { port1, port2 } = new MessageChannel();
  const state: { policy: NanoPolicy | null; ports: MessagePort[] } = { policy: null, ports: [port1, port2] };
  opened.push(state);
  const post = (msg: unknown) => port2.postMessage(msg);
  const serve = actServer(post as (m: FromPolicyWorker) => void, () => state.policy, 'no model is loaded in the worker', serverOpts);
  port2.onmessage = async (e: MessageEvent<LoadMsg | ToPolicyWorker>) => {
    const msg = e.data;
    if (msg.type !== 'load') return serve(msg);
    if (msg.fail) return post({ type: 'load-error', message: msg.fail });
    state.policy = new NanoPolicy(await loadNanoModel(folder, { quant: 'fp32', executionProviders: ['wasm'] }), { maxNewTokens: 200 });
    post({ type: 'loaded', name: state.policy.id });
  };
  return new PortWorker(port1);
}

const asWorker = (w: PortWorker): Worker => w as unknown as Worker; // the four members PolicyChannel uses

function observation(): Observation {
  const [position] = heldOutPositions('snake', 1, 7);
  return nanoObservation(position!, 80);
}

describe('PolicyChannel + actServer', () => {
  it('loads, streams the tokens of an act and resolves with the same text', async () => {
    const { loaded, channel } = await PolicyChannel.open<{ name: string }>(asWorker(startWorker()), { type: 'load' }, 'the model worker');
    expect(loaded.name).toBe(`nano:${DEFAULT_MODEL}`);
    const pieces: string[] = [];
    let ended = 0;
    const result = await channel.act(observation(), { streamer: { put: (t) => pieces.push(t), end: () => ended++ } });
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(result.text);
    expect(result.text).toContain('<best_answer>');
    expect(ended).toBe(1);
  });

  it('with flushMs 0 every token is its own message; with an endless one the first token comes alone and the rest just before the result', async () => {
    const each = await PolicyChannel.open(asWorker(startWorker({ flushMs: 0 })), { type: 'load' }, 'the model worker');
    const pieces: string[] = [];
    const r1 = await each.channel.act(observation(), { streamer: { put: (t) => pieces.push(t), end: () => {} } });
    expect(pieces.length).toBe(r1.timings.newTokens);
    expect(pieces.join('')).toBe(r1.text);

    const held = await PolicyChannel.open(asWorker(startWorker({ flushMs: Number.POSITIVE_INFINITY })), { type: 'load' }, 'the model worker');
    const batches: string[] = [];
    const r2 = await held.channel.act(observation(), { streamer: { put: (t) => batches.push(t), end: () => {} } });
    expect(r2.text).toBe(r1.text);
    expect(batches).toEqual([pieces[0], r1.text.slice((pieces[0] ?? '').length)]);
  });

  it('rejects a load error with the worker message and terminates the worker', async () => {
    const worker = startWorker();
    await expect(PolicyChannel.open(asWorker(worker), { type: 'load', fail: 'config.json: not valid JSON' }, 'the model worker')).rejects.toThrow(
      'config.json: not valid JSON',
    );
    expect(worker.terminated).toBe(true);
  });

  it('cancels a running act with an AbortError and keeps serving the next one', async () => {
    const { channel } = await PolicyChannel.open(asWorker(startWorker()), { type: 'load' }, 'the model worker');
    const controller = new AbortController();
    let streamed = 0;
    const running = channel.act(observation(), {
      signal: controller.signal,
      streamer: {
        put: () => {
          if (++streamed === 3) controller.abort();
        },
        end: () => {},
      },
    });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(streamed).toBeLessThan(60);
    const next = await channel.act(observation());
    expect(next.text).toContain('</worst_answer>');
  });

  it('a crash fails the pending act with a clear message and refuses further acts', async () => {
    const worker = startWorker();
    const { channel } = await PolicyChannel.open(asWorker(worker), { type: 'load' }, 'the model worker');
    const pending = channel.act(observation());
    worker.crash('out of memory');
    await expect(pending).rejects.toThrow('the model worker crashed: out of memory; reload the model to continue');
    await expect(channel.act(observation())).rejects.toThrow('crashed');
  });
});
