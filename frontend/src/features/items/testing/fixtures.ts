import type { Annotation, AnnotationVersion, Item, Project, Question } from "@/api/types";

export function makeItem(overrides: Partial<Item> = {}): Item {
  return {
    id: 12,
    external_id: "q-12",
    prompt: [{ role: "user", content: "How do I boil an egg?" }],
    candidates: [
      { id: "a", text: "Put it in boiling water for **7 minutes**.", model: "model-x", meta: {} },
      { id: "b", text: "Fry it.", model: "model-y", meta: {} },
    ],
    meta: {},
    rubric: [],
    gold: null,
    priority: 0,
    annotation_count: 1,
    done: false,
    created_at: "2026-11-01T10:00:00Z",
    ...overrides,
  };
}

export function makeAnnotation(overrides: Partial<Annotation> = {}): Annotation {
  return {
    id: 5,
    item: 12,
    annotator: "ann",
    status: "submitted",
    answers: {},
    display_order: ["b", "a"],
    time_spent_ms: 42_000,
    version: 1,
    review_status: "pending",
    is_reference: false,
    created_at: "2026-11-02T10:00:00Z",
    updated_at: "2026-11-02T10:00:00Z",
    ...overrides,
  };
}

export function makeVersion(overrides: Partial<AnnotationVersion> = {}): AnnotationVersion {
  return {
    version: 1,
    answers: {},
    time_spent_ms: 42_000,
    edited_by: "ann",
    created_at: "2026-11-02T10:00:00Z",
    ...overrides,
  };
}

/** One question of every kind, with settings the answer renderers use. */
export const ALL_KINDS: Question[] = [
  {
    id: "pref",
    kind: "pairwise",
    prompt: "Which response is better?",
    required: true,
    help: "",
    tie: true,
    strength: ["slightly", "clearly", "much"],
    both_bad: true,
    pairs: "all",
  },
  { id: "rank", kind: "ranking", prompt: "Rank them", required: true, help: "", ties: true },
  {
    id: "quality",
    kind: "rating",
    prompt: "Rate each response",
    required: true,
    help: "",
    per: "candidate",
    dimensions: [
      { id: "helpfulness", label: "Helpfulness", min: 1, max: 5, step: 1, labels: { "5": "excellent" } },
      { id: "safety", label: "", min: 0, max: 1, step: 1, labels: {} },
    ],
  },
  {
    id: "rubric",
    kind: "rubric",
    prompt: "Rubric",
    required: true,
    help: "",
    criteria: [
      { id: "cites", text: "Cites a source", points: 2, levels: ["fail", "pass"] },
      { id: "clear", text: "Is clear", points: 1, levels: ["no", "partly", "yes"] },
    ],
    item_criteria: false,
  },
  {
    id: "flags",
    kind: "labels",
    prompt: "Flags",
    required: false,
    help: "",
    options: ["unsafe", "hallucination"],
    multiple: true,
    per: "candidate",
  },
  { id: "why", kind: "text", prompt: "Why?", required: false, help: "", max_length: 1000 },
];

export function makeFullProject(overrides: Partial<Project> = {}): Project {
  return {
    id: 3,
    name: "helpfulness-v3",
    guidelines: "",
    overlap: 2,
    assignment: "sequential",
    blind: true,
    lock_timeout_s: 900,
    gold_rate: 0,
    questions: ALL_KINDS,
    item_count: 10,
    role: "reviewer",
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    ...overrides,
  };
}
