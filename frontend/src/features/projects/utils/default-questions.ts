/** Starting point for a new project's questions: a single pairwise preference with ties allowed. */
export const DEFAULT_QUESTIONS =
  '[{"id": "pref", "kind": "pairwise", "prompt": "Which response is better?", "tie": true}]';
