/** A jargon word with its plain-words explanation (GLOSSARY) as a tooltip, reachable by keyboard too. */
import type { ReactNode } from 'react';
import { GLOSSARY, type GlossaryTerm } from './glossary';

export function Term({ term, children }: { term: GlossaryTerm; children: ReactNode }) {
  return (
    <abbr className="term" title={GLOSSARY[term]} tabIndex={0} aria-description={GLOSSARY[term]}>
      {children}
    </abbr>
  );
}
