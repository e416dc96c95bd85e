/**
 * `vigal`: the project's command line. Each command lives in `commands/<name>.ts` and registers itself
 * on the commander program; this file only wires them up and turns errors into exit codes.
 *
 * Exit codes: 0 ok, 1 a command failed at run time, 2 bad usage (wrong arguments, bad input).
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from './io';
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
    if (err instanceof UsageError) {
      process.stderr.write(`vigal: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`vigal: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
