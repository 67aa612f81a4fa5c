import type { Judge } from "@/api/types";
import { makeJudge } from "@/features/judges/testing/fixtures";
import type { ActiveLearning, HeadVersion, QueueEntry } from "../types";

/** A preference head judge of project 3, as the judges list returns it. */
export function makeHead(overrides: Partial<Judge> = {}): Judge {
  return makeJudge({
    id: 21,
    name: "minilm-head",
    kind: "preference_head",
    config: {
      encoder: "all-MiniLM-L6-v2",
      revision: null,
      device: "auto",
      max_length: null,
      pooling: "mean",
      features: "candidate_prompt",
      l2: 1,
      ties: true,
      folds: 5,
      min_pairs: 30,
      train_on: [],
    },
    ...overrides,
  });
}

export function makeVersion(overrides: Partial<HeadVersion> = {}): HeadVersion {
  return {
    number: 1,
    reason: "labels",
    labels: 50,
    pairs: 48,
    items: 50,
    cv_accuracy: 0.62,
    cv_log_loss: 0.66,
    cv_pairs: 44,
    embed_seconds: 1.5,
    fit_seconds: 0.2,
    created_at: "2026-11-02T10:00:00Z",
    ...overrides,
  };
}

export function makeQueueEntry(overrides: Partial<QueueEntry> = {}): QueueEntry {
  return {
    item: 101,
    external_id: "item-00001",
    priority: 0.9,
    scores: { uncertainty: 0.72, diversity: 0.09, random: 0.09 },
    ...overrides,
  };
}

/** `GET /api/projects/3/active-learning/` for a project with a trained head and a queue. */
export function makeActiveLearning(overrides: Partial<ActiveLearning> = {}): ActiveLearning {
  return {
    head: 21,
    strategies: { uncertainty: 0.8, diversity: 0.1, random: 0.1 },
    retrain_every: 50,
    extra_labels: 1,
    seed: 0,
    uses_priorities: true,
    labels: 130,
    labels_since_training: 30,
    training: false,
    last_error: "",
    history: [
      makeVersion({ number: 1, labels: 50, cv_accuracy: 0.58, reason: "manual" }),
      makeVersion({ number: 2, labels: 100, cv_accuracy: 0.66, created_at: "2026-11-03T10:00:00Z" }),
    ],
    queue: [
      makeQueueEntry(),
      makeQueueEntry({ item: 102, external_id: "item-00002", priority: 0.6, scores: { uncertainty: 0.5, random: 0.1 } }),
    ],
    refreshed_at: "2026-11-03T10:05:00Z",
    ...overrides,
  };
}
