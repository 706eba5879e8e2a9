// The notebook templates offered by "System Design: New Notebook".
import { BLANK_NOTEBOOK } from './blank';
import { INTERVIEW_NOTEBOOK } from './interview';

export interface NotebookTemplate {
  id: 'blank' | 'interview';
  label: string;
  description: string;
  /** The .sdnb text of the new notebook. */
  text: string;
}

export const TEMPLATES: readonly NotebookTemplate[] = [
  { id: 'blank', label: 'Blank design', description: 'One section per framework phase, untimed: a design document.', text: BLANK_NOTEBOOK },
  {
    id: 'interview',
    label: 'Timed interview',
    description:
      'Introduction 5 · scope 5 · high-level design 20 · deep dive 15 · wrap-up 5 · Q&A 5 minutes, with the framework’s prompts.',
    text: INTERVIEW_NOTEBOOK,
  },
];

export { BLANK_NOTEBOOK, INTERVIEW_NOTEBOOK };
export * from './phases';
