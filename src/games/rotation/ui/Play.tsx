/**
 * Rotation's Play view (the ui layer inside the game's folder; ui/gameViews.ts finds it): answer
 * questions by hand with the same images, options and verifier a model faces.
 */
import { useCallback, useEffect, useMemo } from 'react';
import { ROTATION_CLASS_SETS, rotationPrompt, rotationScenes, type RotationQuestion } from '..';
import { ROTATION_CLASS_SET_NAMES, type RotationClassSet, type RotationSettings } from '../game';
import type { QuestionLink } from '../../../store/url';
import type { QuestionPlayStore } from '../../../store/questionPlay';
import { keyBelongsToControl } from '../../../ui/keys';
import { PromptPanel, type PromptVariant } from '../../../ui/PromptPanel';
import { QuestionSettings } from '../../../ui/QuestionSettings';
import { SceneView } from '../../../ui/SceneView';
import { rewardPartsText } from '../../../ui/stepText';
import { useFitWidth } from '../../../ui/useFitWidth';
import { useStore } from '../../../ui/useStore';

const classesFor = (link: QuestionLink): string[] => [...ROTATION_CLASS_SETS[(link as QuestionLink & RotationSettings).classSet]];

const VIEW_PX = 240;
const NANO_PX = 48;

export function Play({ store }: { store: QuestionPlayStore }) {
  const link = useStore(store, (s) => s.link) as QuestionLink & RotationSettings;
  const question = useStore(store, (s) => s.question) as RotationQuestion;
  const answer = useStore(store, (s) => s.answer);
  const answered = useStore(store, (s) => s.answered);
  const correct = useStore(store, (s) => s.correct);
  const classes = classesFor(link);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyBelongsToControl(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const index = Number(e.key) - 1;
      const actions = store.getState();
      if (Number.isInteger(index) && index >= 0 && index < classesFor(actions.link).length) {
        actions.answerWith(classesFor(actions.link)[index] as string);
      } else if ((e.key === 'Enter' || e.key === 'n' || e.key === 'N') && actions.answer) {
        actions.next();
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // Two views side by side, on a phone too.
  const viewPx = Math.min(VIEW_PX, Math.floor((useFitWidth(2 * VIEW_PX + 12) - 12) / 2));
  const scenes = useMemo(() => rotationScenes(question, viewPx), [question, viewPx]);
  const observe = useCallback(
    (variant: PromptVariant) => ({
      prompt: rotationPrompt(question, { variant }),
      scenes: rotationScenes(question, variant === 'full' ? 256 : NANO_PX),
    }),
    [question],
  );
  const pairs = scenes.length === 4 ? [scenes.slice(0, 2), scenes.slice(2, 4)] : [scenes.slice(0, 2)];
  const firstTest = scenes.length === 4 ? 3 : 1;

  return (
    <div className="play-layout">
      <section className="board-col" aria-label="Rotation question">
        {pairs.map((pair, p) => {
          const isExample = scenes.length === 4 && p === 0;
          return (
            <figure className="pair" key={p}>
              <figcaption>
                {isExample
                  ? 'Example: image 2 is image 1 rotated by 180 degrees'
                  : `Question: by how much is image ${firstTest + 1} rotated from image ${firstTest}?`}
              </figcaption>
              <div className="pair-images">
                {pair.map((scene, i) => {
                  const n = isExample ? i + 1 : firstTest + i;
                  return (
                    <div className="numbered" key={i}>
                      <span className="image-number">Image {n}</span>
                      <SceneView scene={scene} label={`Rotation image ${n}`} testId={`rotation-image-${n}`} />
                    </div>
                  );
                })}
              </div>
            </figure>
          );
        })}
        <div className="answers" role="group" aria-label="Your answer">
          {classes.map((label, i) => (
            <button
              key={label}
              onClick={() => store.getState().answerWith(label)}
              disabled={!!answer}
              className={answer ? (label === question.answer ? 'correct' : label === answer.label ? 'wrong' : '') : ''}
              aria-keyshortcuts={String(i + 1)}
            >
              <kbd>{i + 1}</kbd> {label}
            </button>
          ))}
          <button onClick={() => store.getState().next()} aria-keyshortcuts="Enter">
            Next question
          </button>
        </div>
        <div className="status" aria-live="polite" data-testid="rotation-result">
          {answer ? (
            <>
              <span className={answer.verdict.accuracy > 0 ? 'good' : 'bad'}>
                {answer.verdict.accuracy > 0 ? 'Correct' : `Wrong: it was ${question.answer}`}
              </span>
              <span data-testid="reward">Reward {rewardPartsText(answer.verdict)}</span>
            </>
          ) : (
            <span>Pick an answer (keys {classes.map((_, i) => i + 1).join(', ')}).</span>
          )}
          <span className="tally">
            {correct} / {answered} right this session
          </span>
        </div>
      </section>
      <aside className="side-col">
        <QuestionSettings store={store} link={link}>
          <label>
            Classes
            <select value={link.classSet} onChange={(e) => store.getState().configure({ classSet: e.target.value as RotationClassSet })}>
              {ROTATION_CLASS_SET_NAMES.map((name) => (
                <option key={name} value={name}>
                  {ROTATION_CLASS_SETS[name].join(' / ')}
                  {name === 'default' ? ' (ViGaL)' : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            <input type="checkbox" checked={link.example} onChange={(e) => store.getState().configure({ example: e.target.checked })} />
            In-context example pair
          </label>
        </QuestionSettings>
        <PromptPanel
          observe={observe}
          truth={
            <p data-testid="rotation-truth">
              Answer: <strong>{question.answer}</strong> (options: {classes.join(' / ')})
            </p>
          }
        />
      </aside>
    </div>
  );
}
