/** A progress bar on stderr (never stdout, which carries the JSON), shown only on a terminal. */
import { SingleBar, Presets } from 'cli-progress';

export function progressBar(label: string, enabled = process.stderr.isTTY === true): { update(done: number, total: number): void; stop(): void } {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
