/**
 * Plain-words explanations of the terms the app shows (tooltips via <Term>): one place, so each term
 * reads the same wherever it appears.
 */
export const GLOSSARY = {
  mcnemar:
    "McNemar's exact test: counts only the states where the two policies disagree, and gives the chance (p) of a split at least this lopsided if both were equally good. Small p (below 0.05): the gap is unlikely to be luck.",
  'all-dead': 'Both snakes died in the same round, so neither wins.',
  stop_token: 'stop_token: the sample ended by writing its end-of-answer token (it finished on its own).',
  eos: 'eos: the sample ended with the end-of-sequence token (it finished on its own).',
  max_new_tokens: 'max_new_tokens: the sample hit the token limit before it finished (cut off).',
  max_length: "max_length: the sample reached the model's context length before it finished (cut off).",
  rloo: "RLOO (REINFORCE leave-one-out, ViGaL's choice): each sample is scored against the mean reward of the other samples for the same prompt.",
  grpo: "GRPO: each sample is scored against its group's mean reward, divided by the group's spread.",
  kl: "KL divergence: how far the trained model's token probabilities have moved from the start model. Small is normal; a jump means the model is changing fast.",
  entropy: 'Entropy: how unsure the model is about each next token, in nats. It falls as the model becomes more decided.',
  format: 'Format rate: the share of answers written in the required tags (<think>…</think> then the answer tags), worth 0.1 of the reward.',
  accuracy: 'Accuracy: the share of answers that are right (worth 1.0 of the reward).',
  reward: 'Reward = format (0.1 when the answer is in the required tags) + accuracy (1.0 when it is right), as in ViGaL.',
  elo: 'Elo rating: a chess-style score from who beat whom; everyone starts at 1000, a win against a stronger player gains more.',
  advantage:
    'Advantage: how much better this sample did than the others for the same prompt; RL makes its tokens more likely when positive, less when negative.',
  heldout: 'Held-out states: positions never used for training, so the accuracy on them measures what the model learnt, not what it memorised.',
  logprob: 'Log-probability the model gave each token when it sampled it: pale = sure, orange = surprising.',
  tiles:
    'Tiles right (Jigsaw): the share of positions whose tile the answer names correctly, a partial credit beside accuracy (which needs every tile). A uniform guess gets 1 in 4 on 2x2, 1 in 9 on 3x3.',
  klcoef: 'KL coefficient: how strongly training is pulled back toward the start model (0 = not at all).',
} as const;

export type GlossaryTerm = keyof typeof GLOSSARY;

/** The explanation of a word that may or may not be a glossary term (a stop reason, a metric key). */
export function explain(word: string): string | undefined {
  return (GLOSSARY as Record<string, string>)[word];
}
