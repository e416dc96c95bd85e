/**
 * Play mode for a question game that brings no view of its own (src/games/<id>/ui/Play.tsx): its images,
 * its options as buttons (keys 1-9) or a typed answer, the verdict and reward, and the model's input.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { gameOf, questionGame } from '../games/registry';
import type { QuestionPlayStore } from '../store/questionPlay';
import { keyBelongsToControl } from './keys';
import { PromptPanel, type PromptVariant } from './PromptPanel';
import { QuestionSettings } from './QuestionSettings';
import { SceneView } from './SceneView';
import { rewardPartsText } from './stepText';
import { useFitWidth } from './useFitWidth';
import { useStore } from './useStore';

const VIEW_PX = 240;
const NANO_PX = 48;

export function QuestionPlay({ store }: { store: QuestionPlayStore }) {
  const link = useStore(store, (s) => s.link);
  const question = useStore(store, (s) => s.question);
  const truth = useStore(store, (s) => s.truth);
  const answer = useStore(store, (s) => s.answer);
  const answered = useStore(store, (s) => s.answered);
  const correct = useStore(store, (s) => s.correct);
  const [typed, setTyped] = useState('');
  const game = gameOf(link.game);
  const options = useMemo(() => questionGame(link.game)?.options(question) ?? null, [link.game, question]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = store.getState();
      const choices = questionGame(s.link.game)?.options(s.question) ?? [];
      const index = Number(e.key) - 1;
      if (Number.isInteger(index) && index >= 0 && index < choices.length) s.answerWith(choices[index] as string);
      else if ((e.key === 'Enter' || e.key === 'n' || e.key === 'N') && s.answer) s.next();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  const viewPx = Math.min(VIEW_PX, Math.floor((useFitWidth(2 * VIEW_PX + 12) - 12) / 2));
  const scenes = useMemo(() => game.scenes(question, { size: viewPx, axes: false }), [game, question, viewPx]);
  const observe = useCallback(
    (variant: PromptVariant) => ({
      prompt: game.prompt(question, variant),
      scenes: game.scenes(question, { size: variant === 'full' ? game.defaultImageSize : NANO_PX, axes: variant === 'full' }),
    }),
    [game, question],
  );

  return (
    <div className="play-layout">
      <section className="board-col" aria-label={`${game.title} question`}>
        <div className="pair-images">
          {scenes.map((scene, i) => (
            <div className="numbered" key={i}>
              <span className="image-number">Image {i + 1}</span>
              <SceneView scene={scene} label={`${game.title} image ${i + 1}`} testId={`${game.id}-image-${i + 1}`} />
            </div>
          ))}
        </div>
        <div className="answers" role="group" aria-label="Your answer">
          {options ? (
            options.map((label, i) => (
              <button key={label} onClick={() => store.getState().answerWith(label)} disabled={!!answer} aria-keyshortcuts={String(i + 1)}>
                <kbd>{i + 1}</kbd> {label}
              </button>
            ))
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (typed.trim() !== '') store.getState().answerWith(typed.trim());
              }}
            >
              <input aria-label="Answer" value={typed} disabled={!!answer} onChange={(e) => setTyped(e.target.value)} />
              <button type="submit" disabled={!!answer}>
                Answer
              </button>
            </form>
          )}
          <button
            onClick={() => {
              setTyped('');
              store.getState().next();
            }}
            aria-keyshortcuts="Enter"
          >
            Next question
          </button>
        </div>
        <div className="status" aria-live="polite" data-testid={`${game.id}-result`}>
          {answer ? (
            <>
              <span className={answer.verdict.accuracy > 0 ? 'good' : 'bad'}>
                {answer.verdict.accuracy > 0 ? 'Correct' : `Wrong: it was ${game.truthText(truth)}`}
              </span>
              <span data-testid="reward">Reward {rewardPartsText(answer.verdict)}</span>
            </>
          ) : (
            <span>{options ? `Pick an answer (keys ${options.map((_, i) => i + 1).join(', ')}).` : 'Type an answer.'}</span>
          )}
          <span className="tally">
            {correct} / {answered} right this session
          </span>
        </div>
      </section>
      <aside className="side-col">
        <QuestionSettings store={store} link={link} />
        <PromptPanel
          observe={observe}
          truth={
            <p data-testid={`${game.id}-truth`}>
              Answer: <strong>{game.truthText(truth)}</strong>
            </p>
          }
        />
      </aside>
    </div>
  );
}
