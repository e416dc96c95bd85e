/**
 * The page's side of the training worker: one worker per run. Messages stream to `events.message`; a
 * crashed worker (or an unreadable message) calls `events.crash` once with the reason, fails pending
 * saves, and the client refuses further work. What the page received before stays where it put it.
 */
import type { FromTrainWorker, ToTrainWorker, TrainCheckpoint, TrainSettings } from './trainProtocol';

export interface TrainEvents {
  message(msg: FromTrainWorker): void;
  crash(reason: string): void;
}

/** What the train store drives (TrainClient in the app, a fake in tests). */
export interface TrainRunner {
  pause(): void;
  resume(): void;
  stop(): void;
  /** The weights after the running step (or now, when no step runs). */
  save(): Promise<TrainCheckpoint>;
  dispose(): void;
}

export type StartRun = (settings: TrainSettings, folderUrl: string, events: TrainEvents) => TrainRunner;

export class TrainClient implements TrainRunner {
  private nextId = 1;
  private readonly saves = new Map<number, { resolve: (c: TrainCheckpoint) => void; reject: (e: Error) => void }>();
  private dead: string | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly events: TrainEvents,
  ) {
    worker.onmessage = (e: MessageEvent<FromTrainWorker>) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.fail(`the training worker crashed: ${e.message || 'unknown error (out of memory?)'}`);
    };
    worker.onmessageerror = () => this.fail('the training worker sent a message that could not be read');
  }

  static start: StartRun = (settings, folderUrl, events) => {
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'rl-trainer' });
    const client = new TrainClient(worker, events);
    client.send({ type: 'start', settings, folderUrl });
    return client;
  };

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  save(): Promise<TrainCheckpoint> {
    if (this.dead) return Promise.reject(new Error(this.dead));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.saves.set(id, { resolve, reject });
      this.send({ type: 'save', id });
    });
  }

  dispose(): void {
    this.fail('the training worker was closed', false);
    this.worker.terminate();
  }

  private send(msg: ToTrainWorker): void {
    if (!this.dead) this.worker.postMessage(msg);
  }

  private receive(msg: FromTrainWorker): void {
    if (msg.type === 'checkpoint') {
      const { type: _t, id, ...ck } = msg;
      this.saves.get(id)?.resolve(ck);
      this.saves.delete(id);
      return;
    }
    if (msg.type === 'error' && msg.id !== undefined) {
      this.saves.get(msg.id)?.reject(new Error(msg.message));
      this.saves.delete(msg.id);
      return;
    }
    this.events.message(msg);
  }

  private fail(reason: string, report = true): void {
    if (this.dead) return;
    this.dead = reason;
    for (const s of this.saves.values()) s.reject(new Error(reason));
    this.saves.clear();
    if (report) this.events.crash(reason);
  }
}
