import type { Question, QuestionKind } from "@/api/types";

export interface KindInfo {
  kind: QuestionKind;
  label: string;
  description: string;
}

export const QUESTION_KINDS: readonly KindInfo[] = [
  { kind: "pairwise", label: "Pairwise", description: "Which of two responses is better, or a tie" },
  { kind: "ranking", label: "Ranking", description: "An order over all responses, best first" },
  { kind: "rating", label: "Rating", description: "Scores on one or more dimensions" },
  { kind: "rubric", label: "Rubric", description: "A level for each criterion, with points" },
  { kind: "labels", label: "Labels", description: "Flags such as unsafe or hallucination" },
  { kind: "text", label: "Text", description: "A written rationale or critique" },
];

export function kindLabel(kind: string): string {
  return QUESTION_KINDS.find((info) => info.kind === kind)?.label ?? kind;
}

const BASE_IDS: Record<QuestionKind, string> = {
  pairwise: "pref",
  ranking: "rank",
  rating: "quality",
  rubric: "rubric",
  labels: "flags",
  text: "why",
};

/** `base`, or `base2`, `base3`… whichever is not taken yet. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) {
    return base;
  }
  let n = 2;
  while (used.has(`${base}${n}`)) {
    n += 1;
  }
  return `${base}${n}`;
}

/** A new question of `kind` with settings that are valid as they stand, so adding never starts with an error. */
export function newQuestion(kind: QuestionKind, existing: readonly Question[]): Question {
  const id = uniqueId(
    BASE_IDS[kind],
    existing.map((question) => question.id),
  );
  const common = { id, required: true, help: "" };
  switch (kind) {
    case "pairwise":
      return {
        ...common,
        kind,
        prompt: "Which response is better?",
        tie: true,
        strength: [],
        both_bad: false,
        pairs: "all",
      };
    case "ranking":
      return { ...common, kind, prompt: "Rank the responses from best to worst.", ties: true };
    case "rating":
      return {
        ...common,
        kind,
        prompt: "Rate each response.",
        per: "candidate",
        dimensions: [{ id: "helpfulness", label: "Helpfulness", min: 1, max: 5, step: 1, labels: {} }],
      };
    case "rubric":
      return {
        ...common,
        kind,
        prompt: "Check each response against the rubric.",
        criteria: [{ id: "accurate", text: "The response is factually accurate.", points: 1, levels: ["fail", "pass"] }],
        item_criteria: false,
      };
    case "labels":
      return {
        ...common,
        kind,
        prompt: "Flag any problems.",
        options: ["unsafe", "hallucination", "refusal"],
        multiple: true,
        per: "candidate",
      };
    case "text":
      return { ...common, kind, prompt: "Explain your choice.", required: false, max_length: 10000 };
  }
}

/** The fields each kind accepts; the server rejects any other. */
export const KIND_FIELDS: Record<QuestionKind, readonly string[]> = {
  pairwise: ["tie", "strength", "both_bad", "pairs"],
  ranking: ["ties"],
  rating: ["per", "dimensions"],
  rubric: ["criteria", "item_criteria"],
  labels: ["options", "multiple", "per"],
  text: ["max_length"],
};

export const COMMON_FIELDS: readonly string[] = ["id", "kind", "prompt", "required", "help"];

export const PER_OPTIONS = [
  { value: "candidate", label: "Each response" },
  { value: "item", label: "The item as a whole" },
];
