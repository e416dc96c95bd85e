/**
 * `vigal`: the project's command line. Each command lives in `commands/<name>.ts` and registers itself
 * on the commander program; this file only wires them up and turns errors into exit codes.
 *
 * Exit codes: 0 ok, 1 a command failed at run time, 2 bad usage (wrong arguments, bad input, a path that
 * cannot be written, a missing or corrupt model file: any UserError, printed without a stack trace).
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../util/userError';
import { registerCommands } from './commands';

export async function main(argv: string[]): Promise<number> {
  // A closed pipe (`vigal sample ... | head`) is a normal way to stop reading, not a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const program = new Command()
    .name('vigal')
    .description('ViGaL Playground: the games, their labels and rewards, datasets and models, headless.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .showHelpAfterError('(run vigal --help for usage)');
  registerCommands(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message; help and version exit with code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    // Errors the user can fix (bad arguments, paths, model files; UsageError is one) say what to do:
    // their message alone. Anything else is a bug, and its stack is what a bug report needs.
    if (err instanceof UserError) {
      process.stderr.write(`vigal: ${err.message}\n`);
      return 2;
    }
    // A file system refusal no command anticipated (a full disk, a permission): the OS's one line says it.
    if (isSystemError(err)) {
      process.stderr.write(`vigal: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`vigal: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

/** Node's errors from a system call carry `code` (ENOSPC, EACCES, ...) and `syscall`. */
function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}
