import type { Membership, Project, Question } from "@/api/types";

export function makeProject(overrides: Partial<Project> = {}): Project {
  return {
    id: 1,
    name: "project",
    guidelines: "",
    overlap: 1,
    assignment: "sequential",
    blind: true,
    lock_timeout_s: 900,
    gold_rate: 0,
    questions: [],
    item_count: 0,
    role: "annotator",
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    ...overrides,
  };
}

export function pairwiseQuestion(overrides: Partial<Extract<Question, { kind: "pairwise" }>> = {}): Question {
  return {
    id: "pref",
    kind: "pairwise",
    prompt: "Which response is better?",
    required: true,
    help: "",
    tie: true,
    both_bad: false,
    pairs: "all",
    ...overrides,
  };
}

export function textQuestion(overrides: Partial<Extract<Question, { kind: "text" }>> = {}): Question {
  return {
    id: "why",
    kind: "text",
    prompt: "Why?",
    required: false,
    help: "",
    max_length: 10000,
    ...overrides,
  };
}

export function makeMembership(overrides: Partial<Membership> = {}): Membership {
  return {
    id: 1,
    user: { id: 1, username: "demo" },
    role: "owner",
    created_at: "2026-11-01T10:00:00Z",
    ...overrides,
  };
}

export function page<T>(results: T[], next: string | null = null) {
  return { count: results.length, next, previous: null, results };
}
