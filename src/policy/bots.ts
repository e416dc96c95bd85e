/**
 * The rule-based players as policies. They read the state directly (not the image) and write their
 * choice in the game's answer format, so that they are scored by the same verifier as a model: a bot's
 * worst-move list is the static one-step check (the rules it plays by), its best move is its own pick
 * (the lookahead bot may deliberately leave the greedy "best" to survive, and is scored for it).
 */
import { BOT_NAMES, SNAKE_BOTS, snakeLabels, type SnakeBotName } from '../games/snake';
import { Rng } from '../util/rng';
import { FULL_OBSERVATION, observe } from './observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from './types';

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** The games a bot can play: only the random bot can answer Rotation (by guessing); the others solve Snake. */
export function botGames(bot: SnakeBotName): readonly ('snake' | 'rotation')[] {
  return bot === 'random' ? ['snake', 'rotation'] : ['snake'];
}

export class BotPolicy implements Policy {
  readonly kind = 'bot' as const;
  readonly id: string;
  readonly label: string;
  readonly games: readonly ('snake' | 'rotation')[];
  private readonly rng: Rng;

  constructor(
    readonly bot: SnakeBotName,
    seed = 0,
  ) {
    if (!(BOT_NAMES as readonly string[]).includes(bot)) {
      throw new Error(`unknown bot '${bot}'; valid bots: ${BOT_NAMES.join(', ')}`);
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
    let text: string;
    let action: string;
    if (obs.game === 'snake') {
      const you = obs.state.you;
      action = SNAKE_BOTS[this.bot](obs.state, you, this.rng);
      const worst = snakeLabels(obs.state, you).worst;
      text =
        `<think>The ${this.bot} bot picks ${action}.</think>` +
        `<best_answer>${action}</best_answer><worst_answer>${worst.length ? worst.join(', ') : 'None'}</worst_answer>`;
    } else {
      if (this.bot !== 'random') throw new Error(`the ${this.bot} bot plays Snake only; use bot:random as a Rotation baseline`);
      action = this.rng.pick(obs.state.classes);
      text = `<think>A uniform guess among ${obs.state.classes.length} options.</think><answer>${action}</answer>`;
    }
    opts.streamer?.put(text);
    opts.streamer?.end();
    return { text, action, timings: { totalMs: now() - start } };
  }
}
