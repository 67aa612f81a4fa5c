import type {
  LabelsQuestion,
  NextItem,
  PairwiseQuestion,
  RankingQuestion,
  RatingQuestion,
  RubricQuestion,
  TextQuestion,
} from "@/api/types";
import type { KeyValueStore } from "../utils/storage";

const base = { prompt: "", required: true, help: "" };

export const pairwise = (overrides: Partial<PairwiseQuestion> = {}): PairwiseQuestion => ({
  ...base,
  id: "pref",
  kind: "pairwise",
  prompt: "Which response is better?",
  tie: true,
  both_bad: false,
  pairs: "all",
  ...overrides,
});

export const ranking = (overrides: Partial<RankingQuestion> = {}): RankingQuestion => ({
  ...base,
  id: "rank",
  kind: "ranking",
  prompt: "Rank the responses",
  ties: true,
  ...overrides,
});

export const rating = (overrides: Partial<RatingQuestion> = {}): RatingQuestion => ({
  ...base,
  id: "quality",
  kind: "rating",
  prompt: "Rate each response",
  per: "candidate",
  dimensions: [
    { id: "helpfulness", label: "Helpfulness", min: 1, max: 5, step: 1 },
    { id: "correctness", label: "Correctness", min: 1, max: 5, step: 1 },
  ],
  ...overrides,
});

export const rubric = (overrides: Partial<RubricQuestion> = {}): RubricQuestion => ({
  ...base,
  id: "rubric",
  kind: "rubric",
  prompt: "Check the rubric",
  criteria: [{ id: "cites", text: "Cites a source", points: 2 }],
  item_criteria: false,
  ...overrides,
});

export const labels = (overrides: Partial<LabelsQuestion> = {}): LabelsQuestion => ({
  ...base,
  id: "flags",
  kind: "labels",
  prompt: "Flags",
  options: ["unsafe", "hallucination", "refusal"],
  multiple: true,
  per: "item",
  ...overrides,
});

export const text = (overrides: Partial<TextQuestion> = {}): TextQuestion => ({
  ...base,
  id: "why",
  kind: "text",
  prompt: "Why?",
  required: false,
  max_length: 10000,
  ...overrides,
});

export function makeNextItem(overrides: Partial<NextItem> = {}): NextItem {
  return {
    assignment: { id: 11, expires_at: "2099-01-01T00:00:00Z" },
    item: { id: 5, external_id: "q-17", prompt: "Explain recursion.", meta: {}, rubric: [] },
    candidates: [
      { id: "b", text: "Recursion is when a function calls **itself**.", model: null },
      { id: "a", text: "It is a loop.", model: null },
    ],
    questions: [pairwise()],
    guidelines: "Prefer *correct* answers.",
    progress: { submitted_by_me: 3, open_items: 40 },
    ...overrides,
  };
}

/** An in-memory stand-in for localStorage. */
export function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get length() {
      return data.size;
    },
    key: (index: number) => [...data.keys()][index] ?? null,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => {
      data.set(key, value);
    },
    removeItem: (key: string) => {
      data.delete(key);
    },
  };
}
