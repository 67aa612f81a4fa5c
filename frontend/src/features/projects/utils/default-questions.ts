import type { Question } from "@/api/types";

/** Starting point for a new project's questions: a single pairwise preference with ties allowed. */
export const DEFAULT_QUESTIONS: readonly Question[] = [
  {
    id: "pref",
    kind: "pairwise",
    prompt: "Which response is better?",
    required: true,
    help: "",
    tie: true,
    strength: [],
    both_bad: false,
    pairs: "all",
  },
];
