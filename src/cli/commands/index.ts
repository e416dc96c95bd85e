/** The list of CLI commands. Each module exports `register(program)` adding one subcommand. */
import type { Command } from 'commander';
import { register as registerSample } from './sample';
import { register as registerLabel } from './label';
import { register as registerScore } from './score';
import { register as registerPlay } from './play';
import { register as registerExport } from './export';
import { register as registerCheckDataset } from './check-dataset';
import { register as registerEval } from './eval';
import { register as registerMatch } from './match';
import { register as registerExportModel } from './export-model';
import { register as registerServe } from './serve';
import { register as registerTrain } from './train';
import { register as registerGames } from './games';

export function registerCommands(program: Command): void {
  registerGames(program);
  registerSample(program);
  registerLabel(program);
  registerScore(program);
  registerPlay(program);
  registerExport(program);
  registerCheckDataset(program);
  registerEval(program);
  registerMatch(program);
  registerExportModel(program);
  registerServe(program);
  registerTrain(program);
}
