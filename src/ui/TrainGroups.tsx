/**
 * The latest step's groups: one row per prompt, a card per sample coloured by its advantage (green above
 * the group's baseline, red below), with its reward parts; click a card to read its trace below as a
 * token heat map (each token's log-prob under the sampling policy, or the sample's advantage).
 */
import { explain } from './glossary';
import type { RlGroupView, RlSampleView } from '../train/rl';
import type { HeatMode } from '../store/train';
import { advantageColor, inkOn, logprobColor, MAX_SURPRISE, maxAbsAdvantage } from './trainScale';

const signed = (x: number, d = 2): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(d)}`;

interface GroupsProps {
  groups: readonly RlGroupView[];
  step: number | null;
  selected: { group: number; sample: number } | null;
  onSelect(group: number, sample: number): void;
}

export function TrainGroups({ groups, step, selected, onSelect }: GroupsProps) {
  const maxAbs = maxAbsAdvantage(groups);
  if (groups.length === 0) return <p className="hint">The groups of the latest step appear here: each prompt's samples, their rewards and advantages.</p>;
  return (
    <div className="train-groups" data-testid="train-groups" aria-label={`Groups of step ${(step ?? 0) + 1}`}>
      {groups.map((g, gi) => (
        <div className="train-group" key={gi}>
          <div className="train-group-head">
            <span className="mono">{g.promptId}</span>
          </div>
          <div className="train-samples">
            {g.samples.map((s, si) => {
              const bg = advantageColor(s.advantage, maxAbs);
              const on = selected?.group === gi && selected.sample === si;
              return (
                <button
                  key={si}
                  className={`sample-card${on ? ' on' : ''}`}
                  style={{ background: bg, color: inkOn(bg) }}
                  aria-pressed={on}
                  data-testid="sample-card"
                  title={s.text}
                  onClick={() => onSelect(gi, si)}
                >
                  <span className="sample-adv">A {signed(s.advantage)}</span>
                  <span className="sample-reward">
                    r {s.reward.overall.toFixed(1)} = {s.reward.format.toFixed(1)} + {s.reward.accuracy.toFixed(1)}
                  </span>
                  <span className="sample-len">
                    {s.pieces.length} tok · <span title={explain(s.stopReason)}>{s.stopReason}</span>
                  </span>
                </button>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}

interface HeatProps {
  sample: RlSampleView | null;
  mode: HeatMode;
  maxAbs: number;
  onMode(mode: HeatMode): void;
}

export function TokenHeat({ sample, mode, maxAbs, onMode }: HeatProps) {
  return (
    <div className="token-heat-wrap">
      <div className="controls">
        <span className="segmented" role="group" aria-label="Token colour">
          <button className={mode === 'logprob' ? 'on' : ''} aria-pressed={mode === 'logprob'} onClick={() => onMode('logprob')}>
            Log-prob
          </button>
          <button className={mode === 'advantage' ? 'on' : ''} aria-pressed={mode === 'advantage'} onClick={() => onMode('advantage')}>
            Advantage
          </button>
        </span>
        <span className="hint">
          {mode === 'logprob'
            ? `white: certain; orange: surprising (−log p up to ${MAX_SURPRISE} nats)`
            : 'every token of a sample carries its advantage (GRPO/RLOO): green pushed up, red pushed down'}
        </span>
      </div>
      <div className="token-heat" data-testid="token-heat" tabIndex={0} aria-label="Selected trace, token by token">
        {sample === null ? (
          <span className="placeholder">Click a sample above to read its trace here.</span>
        ) : (
          sample.pieces.map((p, i) => {
            const lp = sample.logprobs[i] ?? 0;
            const bg = mode === 'logprob' ? logprobColor(lp) : advantageColor(sample.advantage, maxAbs);
            return (
              <span key={i} className="tok" style={{ background: bg, color: inkOn(bg) }} title={`p ${Math.exp(lp).toFixed(3)} · log p ${lp.toFixed(2)}`}>
                {p}
              </span>
            );
          })
        )}
      </div>
    </div>
  );
}
