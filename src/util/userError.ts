/**
 * An error the user can fix: a bad argument, a path that cannot be written, a model file that is missing
 * or corrupt. Its message says what is wrong and what to do, so the CLI prints the message alone (no
 * stack trace) and exits with status 2. Anything not of this class is a bug and keeps its stack.
 *
 * It lives in util/ (not cli/) because the core layers (data, model, runtime) throw its subclasses.
 */
export class UserError extends Error {
  override name = 'UserError';
}
