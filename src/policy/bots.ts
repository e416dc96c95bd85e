/**
 * The rule-based players as policies. They read the state directly (not the image) and write their
 * choice in the game's answer format, so that they are scored by the same verifier as a model: a bot's
 * worst-move list is the static one-step check (the rules it plays by), its best move is its own pick
 * (the lookahead bot may deliberately leave the greedy "best" to survive, and is scored for it).
 */
import { Rng } from '../util/rng';
import { FULL_OBSERVATION, observe } from './observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from './types';
import { ALL_BOT_NAMES, GAME_IDS, gameOf, type GameId } from '../games/registry';

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** The games a bot can play: those whose `bots` name it (the random bot guesses at every question game; the others solve Snake). */
export function botGames(bot: string): readonly GameId[] {
  return GAME_IDS.filter((id) => gameOf(id).bots[bot] !== undefined);
}

export class BotPolicy implements Policy {
  readonly kind = 'bot' as const;
  readonly id: string;
  readonly label: string;
  readonly games: readonly GameId[];
  private readonly rng: Rng;

  constructor(
    readonly bot: string,
    seed = 0,
  ) {
    if (!ALL_BOT_NAMES.includes(bot)) {
      throw new Error(`unknown bot '${bot}'; valid bots: ${ALL_BOT_NAMES.join(', ')}`);
    }
    this.id = `bot:${bot}`;
    this.label = `${bot} bot`;
    this.games = botGames(bot);
    this.rng = new Rng(seed);
  }

  observe(position: Position): Observation {
    return observe(position, FULL_OBSERVATION);
  }

  async act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    const start = now();
    const play = gameOf(obs.game).bots[this.bot];
    if (!play) throw new Error(`the ${this.bot} bot does not play ${gameOf(obs.game).title}; use bot:random as a baseline`);
    const { action, text } = play(obs.state, this.rng);
    opts.streamer?.put(text);
    opts.streamer?.end();
    return { text, action, timings: { totalMs: now() - start } };
  }
}
