/**
 * `vigal check-dataset DIR`: reads an export back (parquet through hyparquet, or jsonl and PNG files)
 * and checks schema, images against placeholders, PNG decoding, labels (a perfect response must score
 * 1.1), duplicates and the train/validation overlap, counts and the content hash. Prints a JSON report;
 * exit status 1 when anything is wrong.
 */
import type { Command } from 'commander';
import { checkDataset } from '../../data/check.node.ts';

export function register(program: Command): void {
  program
    .command('check-dataset')
    .argument('<dir>', 'an export directory written by `vigal export`')
    .description('validate an exported dataset: schema, images, labels, duplicates, manifest; prints a JSON report, exit 1 on problems')
    .action(async (dir: string) => {
      const report = await checkDataset(dir);
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      if (!report.ok) {
        process.stderr.write(`vigal check-dataset: ${report.problemCount} problem(s) in ${dir}; first: ${report.problems[0] ?? ''}\n`);
        process.exitCode = 1;
      }
    });
}
