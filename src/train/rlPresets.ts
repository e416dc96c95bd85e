/**
 * Named RL settings shared by `vigal train rl --preset NAME` and Train mode. `demo` is Train mode's
 * default: answer-only RL (rl/answerOnly.ts) from the shipped model, sized so that the held-out curve
 * rises within minutes on a laptop's CPU.
 */
export interface RlPreset {
  /** One line for people: what a run of this preset teaches. */
  teaches: string;
  /** One line for people: what a run shows in its first minutes on a laptop's CPU (measured: README, Train). */
  expect: string;
  /** The model folder name under models/ it starts from. */
  model: string;
  prompts: number;
  group: number;
  temperature: number;
  lr: number;
  steps: number;
  answerOnly: boolean;
  /** Answer-only: score all four moves ('exact') or sample a group ('sampled'); see train/rl.ts. */
  answerGradient: 'sampled' | 'exact';
  /** Answer-only, exact: entropy bonus over the four moves. */
  entropyCoef: number;
  /** The parameters trained: all, or the top block with the final norm and the output layer. */
  trainable: 'all' | 'top';
  /** Sequences per forward/backward (one fixed jit shape). */
  microBatch: number;
  /** Held-out states and how often they are evaluated (steps). */
  evalN: number;
  evalEvery: number;
}

export const RL_PRESETS: Record<string, RlPreset> = {
  demo: {
    teaches:
      'Answer at a glance: the model must name a best Snake move right after an empty <think></think>, ' +
      "with no reasoning trace (ViGaL's no-reasoning ablation). Reward 1 for a best move (toward the nearest apple, not into a wall or snake).",
    expect:
      'On a laptop CPU the first minutes show the policy moving off its one habitual answer and the reward and held-out accuracy ' +
      'wandering a few points around the start; a lasting rise needs thousands of states, about ten times what 3 minutes sample.',
    model: 'vigal-nano-snake-rl',
    prompts: 8,
    group: 8,
    temperature: 1,
    lr: 3e-5,
    steps: 200,
    answerOnly: true,
    // The exact gradient over the four moves and top-only training make a step about 5x faster in Node
    // (1.3 s against 6.4 s), but from this start model they left held-out accuracy flat (README, Train).
    answerGradient: 'sampled',
    entropyCoef: 0,
    trainable: 'all',
    microBatch: 8,
    evalN: 60,
    evalEvery: 5,
  },
};
