/**
 * An export's target directory: claimed before any sample is drawn, filled in one rename at the end.
 *
 * The claim is the staging directory `.NAME.partial` beside the target, made with one plain mkdir: the
 * file system lets exactly one process create it, so two exports into one `--out` cannot both proceed;
 * the second is refused at once with a message naming the holder. The commit renames the staging
 * directory onto the target, which the kernel does only when the target is absent or empty; an export
 * never moves files into a directory that something else filled meanwhile, and never replaces one.
 *
 * A killed export (SIGKILL, power loss) leaves its `.NAME.partial` behind, and the next export into the
 * same target is refused until it is removed: the message says so, and deleting it is always safe
 * (check-dataset rejects a directory without its manifest anyway).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../util/userError';

/** A problem with the export's arguments or target directory: the user's to fix (the CLI prints it alone, exit 2). */
export class ExportError extends UserError {
  override name = 'ExportError';
}

/** The staging directory that claims `finalDir`: `.NAME.partial` in the same parent (same file system). */
export function stagingDirFor(finalDir: string): string {
  return join(dirname(finalDir), `.${basename(finalDir)}.partial`);
}

/** Why the file system refused, in words (the errno code alone means little to most users). */
function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENOENT':
      return 'this file system does not allow new directories there';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return e.message;
  }
}

/**
 * mkdir -p, one level at a time: Node's `mkdirSync(dir, { recursive: true })` spins forever where mkdir
 * answers ENOENT under a parent that exists (/proc/self/x/y, Node 20 and 22).
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      // Another export creating the same parents at the same moment is fine.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(d).isDirectory()) throw err;
    }
  }
}

function refuseIfFilled(finalDir: string): void {
  if (!existsSync(finalDir)) return;
  if (!statSync(finalDir).isDirectory()) throw new ExportError(`output ${finalDir} is a file, not a directory; choose a new directory`);
  const leftovers = readdirSync(finalDir);
  if (leftovers.length > 0) {
    throw new ExportError(
      `output directory ${finalDir} is not empty (${leftovers.slice(0, 3).join(', ')}${leftovers.length > 3 ? ', ...' : ''}); choose a new directory or remove it`,
    );
  }
}

/**
 * Claims `finalDir` (absolute) for this export: creates its parent, refuses a target that holds anything,
 * and makes the staging directory. Returns the staging directory; the caller removes it on failure.
 */
export function claimTarget(finalDir: string): string {
  const parent = dirname(finalDir);
  try {
    makeDirs(parent);
  } catch (err) {
    throw new ExportError(`cannot create the output directory ${finalDir}: ${reason(err)}`);
  }
  refuseIfFilled(finalDir);
  const stageDir = stagingDirFor(finalDir);
  try {
    mkdirSync(stageDir, { mode: 0o755 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ExportError(
        `another export is writing ${finalDir} (its staging directory ${stageDir} exists); ` +
          'if none is running, a killed export left it: remove it and run again',
      );
    }
    throw new ExportError(`cannot create the output directory ${finalDir}: ${reason(err)}`);
  }
  // A run that finished between the check above and the claim has filled the target: refuse it now,
  // before any work, rather than at the commit.
  try {
    refuseIfFilled(finalDir);
  } catch (err) {
    rmSync(stageDir, { recursive: true, force: true });
    throw err;
  }
  return stageDir;
}

/** Renames the finished staging directory onto the (absent or empty) target in one atomic step. */
export function commitTarget(stageDir: string, finalDir: string): void {
  try {
    renameSync(stageDir, finalDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
      throw new ExportError(`output ${finalDir} was filled by something else while this export ran; it was left as it is and this export discarded`);
    }
    if (code === 'EBUSY' || code === 'EXDEV') {
      throw new ExportError(`cannot move the finished export onto ${finalDir} (${code}: a mount point?); export into a new directory inside it`);
    }
    throw new ExportError(`cannot move the finished export onto ${finalDir}: ${reason(err)}`);
  }
}
