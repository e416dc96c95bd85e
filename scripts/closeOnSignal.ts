/**
 * Bench scripts that start a server or a browser close them however the script ends: their `finally`
 * covers a normal end and an error; this covers Ctrl-C and SIGTERM, which skip `finally`.
 */
let signalled = false;

/** True once a signal started closing: the work it interrupted then fails, and that failure is not news. */
export const closingOnSignal = (): boolean => signalled;

export function closeOnSignal(script: string, close: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      signalled = true;
      process.stderr.write(`${script}: ${signal}, closing the server and the browser\n`);
      void close()
        .catch(() => undefined)
        .finally(() => process.exit(130));
    });
  }
}
